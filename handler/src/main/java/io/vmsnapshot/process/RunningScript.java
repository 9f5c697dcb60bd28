package io.vmsnapshot.process;

import java.util.concurrent.CompletableFuture;

/** A started child in its own process group. */
public interface RunningScript {
    long pid();

    /**
     * Completes when the child itself has exited (and, after a kill, when its whole group is
     * gone). A background process that keeps the output pipe open does not delay it.
     */
    CompletableFuture<ProcessResult> completion();

    /** Kills the whole group now (SIGTERM, SIGKILL after the grace); used when a caller's deadline expires. */
    void terminate();
}

package io.vmsnapshot.worker;

import io.vmsnapshot.agent.Operation;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@code bin/handle.sh worker <seq>} in a session of its own (util-linux {@code setsid}), so
 * that the agent's SIGKILL of enable's process group at its 300 s limit cannot reach a backup that
 * is holding file systems frozen. Its standard streams go to /dev/null: the agent waits for nothing
 * of ours, and the worker writes its own log.
 *
 * <p>{@code setsid --fork} and a wait for that short-lived intermediate: the worker is then nobody's
 * child in this JVM. A JVM that exits with a child still running has a reaper thread sitting in
 * waitpid(), and the JVM's exit waits 300 ms for threads in native code — more than enable's whole
 * work.
 */
public final class DetachedWorkerLauncher implements WorkerLauncher {
    private static final File DEV_NULL = new File("/dev/null");
    private static final Duration FORK_WAIT = Duration.ofSeconds(10);

    private final Path launcher;
    private final Path workDir;

    public DetachedWorkerLauncher(Path launcher, Path workDir) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    @Override
    public void launch(int sequenceNumber) throws IOException {
        Process intermediate = new ProcessBuilder(List.of("setsid", "--fork", "/bin/sh", launcher.toString(),
                Operation.WORKER.verb(), Integer.toString(sequenceNumber)))
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!intermediate.waitFor(FORK_WAIT.toMillis(), TimeUnit.MILLISECONDS) || intermediate.exitValue() != 0) {
                throw new IOException("setsid --fork did not start the worker (exit "
                        + (intermediate.isAlive() ? "pending" : intermediate.exitValue()) + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the worker", e);
        }
    }
}

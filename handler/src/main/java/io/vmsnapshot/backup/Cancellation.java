package io.vmsnapshot.backup;

/**
 * Set when the worker is asked to stop (disable, SIGTERM): the backup then skips what has not
 * started yet but still finishes what must finish — thaw and post-scripts.
 */
public final class Cancellation {
    private volatile boolean cancelled;

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }
}

package io.vmsnapshot.backup;

import java.util.function.Supplier;

/**
 * Set when the worker is asked to stop (disable, SIGTERM): the backup then skips what has not
 * started yet but still finishes what must finish — thaw and post-scripts. Only work run through
 * {@link #interruptible} is cut short (the pre-scripts: a stop must not wait for a slow quiesce).
 */
public final class Cancellation {
    private boolean cancelled;
    private Thread interruptible;

    public synchronized void cancel() {
        cancelled = true;
        if (interruptible != null) {
            interruptible.interrupt();
        }
    }

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /** Runs work that a stop request may interrupt; the interrupt never leaks into what follows. */
    public <T> T interruptible(Supplier<T> work) {
        synchronized (this) {
            interruptible = Thread.currentThread();
            if (cancelled) {
                interruptible.interrupt();
            }
        }
        try {
            return work.get();
        } finally {
            synchronized (this) {
                interruptible = null;
            }
            Thread.interrupted();
        }
    }
}

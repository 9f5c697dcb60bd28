package io.vmsnapshot.freeze;

/** What ended a freeze. Only {@link #REQUEST} (and {@link #NOTHING_FROZEN}) keep a snapshot consistent. */
public enum ThawTrigger {
    /** The handler asked for the thaw. */
    REQUEST,
    /** The freeze window expired before the handler asked: the helper thawed by itself. */
    TIMEOUT,
    /** The helper saw its parent gone (end of its control pipe). */
    PARENT_GONE,
    /** The helper got a signal. */
    SIGNAL,
    /** The helper got a line it did not expect. */
    PROTOCOL,
    /** There was nothing to freeze. */
    NOTHING_FROZEN,
    /** The helper ended without saying why (killed, or its output was lost). */
    UNKNOWN,
    /**
     * The helper ended without thawing (SIGKILL, a crash) and the handler thawed around it from a
     * new process ({@code vmsnapshot-freeze --thaw}) the moment its output ended.
     */
    HELPER_LOST,
    /**
     * The helper was stopped (SIGSTOP) or did not answer the thaw, and the handler thawed around it
     * from a new process, then killed it.
     */
    HELPER_STOPPED
}

package io.vmsnapshot.freeze;

import io.vmsnapshot.error.HandlerException;
import java.time.Duration;
import java.util.List;

/** Freezes file systems and hands back the session that thaws them. */
public interface Freezer {
    /**
     * Freezes {@code mounts} in the given order. Returns only once all are frozen; on failure
     * nothing stays frozen that this call could thaw.
     *
     * @param timeout the freeze window: after it the file systems thaw by themselves, whatever
     *                the caller does (the snapshot is then reported as not consistent)
     */
    FreezeSession freeze(List<Mount> mounts, Duration timeout) throws HandlerException;

    /**
     * As {@link #freeze(List, Duration)}, waiting at most {@code freezeWait} for all mounts to be
     * frozen (vmbackup.conf {@code SafeFreezeWaitInSeconds}); a freezer without such a wait ignores it.
     */
    default FreezeSession freeze(List<Mount> mounts, Duration timeout, Duration freezeWait) throws HandlerException {
        return freeze(mounts, timeout);
    }
}

package io.vmsnapshot.freeze;

import io.vmsnapshot.agent.HeldLock;
import io.vmsnapshot.error.HandlerException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A freeze that nobody else acts on while it lasts: before the freeze it takes Azure Site Recovery's
 * lock ({@link SafeFreezeLock}) and then the {@link FreezeRecordLock}, in that order, and releases
 * both, in reverse, only once the thaw has returned — so the freeze record is written, thawed and
 * deleted under the lock, and ASR cannot freeze in between. When the freeze fails the locks go at
 * once (the freezer has already thawed what it could).
 */
public final class ExclusiveFreezer implements Freezer {
    /** Longer than a recovery can hold the record lock: its thaw wait, plus starting the helper. */
    public static final Duration RECORD_LOCK_WAIT = Duration.ofSeconds(45);

    private final Freezer freezer;
    private final SafeFreezeLock siteRecoveryLock;
    private final FreezeRecordLock recordLock;
    private final Duration recordLockWait;

    public ExclusiveFreezer(Freezer freezer, SafeFreezeLock siteRecoveryLock, FreezeRecordLock recordLock,
                            Duration recordLockWait) {
        this.freezer = Objects.requireNonNull(freezer, "freezer");
        this.siteRecoveryLock = Objects.requireNonNull(siteRecoveryLock, "siteRecoveryLock");
        this.recordLock = Objects.requireNonNull(recordLock, "recordLock");
        this.recordLockWait = Objects.requireNonNull(recordLockWait, "recordLockWait");
    }

    @Override
    public FreezeSession freeze(List<Mount> mounts, Duration timeout) throws HandlerException {
        return locked(mounts, () -> freezer.freeze(mounts, timeout));
    }

    @Override
    public FreezeSession freeze(List<Mount> mounts, Duration timeout, Duration freezeWait) throws HandlerException {
        return locked(mounts, () -> freezer.freeze(mounts, timeout, freezeWait));
    }

    private interface FreezeCall {
        FreezeSession freeze() throws HandlerException;
    }

    private FreezeSession locked(List<Mount> mounts, FreezeCall call) throws HandlerException {
        if (mounts.isEmpty()) {
            return call.freeze();
        }
        HeldLock siteRecovery = siteRecoveryLock.acquire();
        HeldLock record;
        try {
            record = recordLock.acquire(recordLockWait);
        } catch (HandlerException | RuntimeException e) {
            siteRecovery.close();
            throw e;
        }
        FreezeSession session;
        try {
            session = call.freeze();
        } catch (HandlerException | RuntimeException e) {
            record.close();
            siteRecovery.close();
            throw e;
        }
        return new FreezeSession() {
            private ThawResult result;

            @Override
            public synchronized ThawResult thaw() {
                if (result == null) {
                    try {
                        result = session.thaw();
                    } finally {
                        record.close();
                        siteRecovery.close();
                    }
                }
                return result;
            }
        };
    }
}

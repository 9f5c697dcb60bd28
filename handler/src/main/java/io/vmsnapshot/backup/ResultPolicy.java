package io.vmsnapshot.backup;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.status.StatusType;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The fall-back rules of the seed and docs/prepost.md §3.1, and the error precedence of
 * docs/backup-flow.md §4.5, as pure functions — the one place that decides what a backup's outcome is.
 *
 * <ul>
 *   <li>A script that ran and failed, with {@code continueBackupOnFailure: true}, falls back to a
 *       file-system (or crash) consistent snapshot; with {@code false} it fails the backup — except
 *       on a single-disk VM, which always falls back (the seed).</li>
 *   <li>A script that could not run (config, permission, not found, integrity) did not fail: the
 *       seed says the backup is then file-system/crash consistent, whatever continueBackupOnFailure
 *       says. Upstream failed a multi-disk backup for 302–307 with {@code false}; we follow the seed.</li>
 *   <li>{@code fsFreezeEnabled: false} does not change that: upstream stopped a backup whose
 *       pre-script failed without a freeze, but the seed promises the fall-back whenever
 *       continueBackupOnFailure is true, and a crash-consistent snapshot beats none.</li>
 *   <li>Precedence of the reported error: plugin host check, then the first pre-script error, then
 *       the first post-script error, then freeze, then snapshot.</li>
 * </ul>
 */
public final class ResultPolicy {
    private ResultPolicy() {
    }

    /** Whether the backup must end before the snapshot: the pre phase already decided it fails. */
    public static boolean stopsBeforeSnapshot(Optional<ErrorCode> preError, boolean continueBackupOnFailure,
                                              boolean singleDisk) {
        return !singleDisk && preError.isPresent() && !continueBackupOnFailure;
    }

    public static BackupVerdict decide(BackupFacts facts) {
        ErrorCode health = firstOf(facts.precheckError(), facts.preError(), facts.postError(), facts.freezeError(),
                facts.snapshotError()).orElse(ErrorCode.SUCCESS);
        if (facts.freeze() == FreezeState.TOO_LATE) {
            return new BackupVerdict(StatusType.ERROR, ErrorCode.COMMAND_TOO_LATE, Consistency.NONE, health,
                    "too late (checked before the freeze)");
        }
        Optional<ErrorCode> scriptFailure = scriptPolicyFailure(facts);
        Consistency reached = facts.snapshotTaken() ? consistencyReached(facts) : Consistency.NONE;
        if (scriptFailure.isPresent()) {
            return new BackupVerdict(StatusType.ERROR, scriptFailure.get(), reached, health,
                    "a script failed and continueBackupOnFailure is false");
        }
        if (facts.freeze() == FreezeState.FAILED && !facts.snapshotTaken()) {
            ErrorCode freeze = facts.freezeError().orElse(ErrorCode.FS_FREEZE_FAILED);
            return new BackupVerdict(StatusType.ERROR, freeze, Consistency.NONE, health, "the freeze failed");
        }
        if (facts.allDisksFailed() || !facts.snapshotTaken()) {
            ErrorCode snapshot = facts.snapshotError().orElse(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK);
            return new BackupVerdict(StatusType.ERROR, snapshot, Consistency.NONE, health, "no snapshot was taken");
        }
        if (facts.snapshotError().isPresent()) {
            // A restore point missing a disk is no restore point: an error, as upstream's 76/761.
            return new BackupVerdict(StatusType.ERROR, ErrorCode.SNAPSHOT_FAILED_NO_NETWORK, Consistency.NONE,
                    ErrorCode.SNAPSHOT_FAILED_RESTRICTED_NETWORK, "the snapshot of some disks failed");
        }
        if (reached == Consistency.APPLICATION && facts.postError().isEmpty()) {
            return new BackupVerdict(StatusType.SUCCESS, ErrorCode.SUCCESS_APP_CONSISTENT, reached,
                    ErrorCode.SUCCESS_APP_CONSISTENT, "application consistent");
        }
        return new BackupVerdict(StatusType.SUCCESS, ErrorCode.SUCCESS, reached, health,
                reached == Consistency.APPLICATION ? "application consistent snapshot; a post-script failed"
                        : reached.telemetryName());
    }

    private static Optional<ErrorCode> scriptPolicyFailure(BackupFacts facts) {
        if (facts.singleDisk()) {
            return Optional.empty();
        }
        if (facts.continueBackupOnFailure()) {
            return Optional.empty();
        }
        return firstOf(facts.preError(), facts.postError());
    }

    private static Consistency consistencyReached(BackupFacts facts) {
        boolean frozen = facts.freeze() == FreezeState.FROZEN || facts.freeze() == FreezeState.NOTHING_TO_FREEZE;
        boolean quiesced = facts.quiesced() && facts.precheckError().isEmpty() && facts.preError().isEmpty();
        if (quiesced && (frozen || facts.freeze() == FreezeState.DISABLED_BY_CONFIG)) {
            return Consistency.APPLICATION;
        }
        return frozen ? Consistency.FILE_SYSTEM : Consistency.CRASH;
    }

    @SafeVarargs
    private static Optional<ErrorCode> firstOf(Optional<ErrorCode>... candidates) {
        return Stream.of(candidates).flatMap(Optional::stream).findFirst();
    }
}

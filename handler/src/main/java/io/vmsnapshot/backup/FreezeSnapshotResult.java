package io.vmsnapshot.backup;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.LocalizedNote;
import io.vmsnapshot.snapshot.SnapshotInfo;
import io.vmsnapshot.snapshot.SnapshotOutcome;
import io.vmsnapshot.snapshot.SnapshotTelemetry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the freeze–snapshot–thaw window produced.
 *
 * @param snapshot       empty when no snapshot was attempted
 * @param freezeDetail   why the freeze failed, or how the thaw went wrong; empty otherwise
 * @param inconsistent   the file systems thawed before the handler asked (helper timeout): the
 *                       snapshot cannot be trusted to be file-system consistent
 * @param partitionCount the mounts that were to be frozen
 * @param note           what the customer is told, in their language, of a freeze that went wrong
 *                       in a way no error name says (the helper lost, thawed around)
 */
public record FreezeSnapshotResult(FreezeState freeze, Optional<ErrorCode> freezeError, String freezeDetail,
                            Optional<SnapshotOutcome> snapshot, boolean inconsistent, int partitionCount,
                            Optional<LocalizedNote> note) {
    public FreezeSnapshotResult {
        Objects.requireNonNull(freeze, "freeze");
        Objects.requireNonNull(freezeError, "freezeError");
        Objects.requireNonNull(freezeDetail, "freezeDetail");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(note, "note");
    }

    public FreezeSnapshotResult(FreezeState freeze, Optional<ErrorCode> freezeError, String freezeDetail,
                                Optional<SnapshotOutcome> snapshot, boolean inconsistent, int partitionCount) {
        this(freeze, freezeError, freezeDetail, snapshot, inconsistent, partitionCount, Optional.empty());
    }

    public static FreezeSnapshotResult notReached() {
        return new FreezeSnapshotResult(FreezeState.NOT_REACHED, Optional.empty(), "", Optional.empty(), false, 0);
    }

    /** The host's (or, without it, the VM's) clock said the command is past the limit: no freeze, no snapshot. */
    static FreezeSnapshotResult tooLate(String detail) {
        return new FreezeSnapshotResult(FreezeState.TOO_LATE, Optional.of(ErrorCode.COMMAND_TOO_LATE), detail,
                Optional.empty(), false, 0);
    }

    boolean snapshotTaken() {
        return snapshot.map(s -> s.snapshots().stream().anyMatch(SnapshotInfo::isSuccessful)).orElse(false);
    }

    boolean allDisksFailed() {
        return !snapshotTaken();
    }

    public Optional<ErrorCode> snapshotError() {
        return snapshot.flatMap(SnapshotOutcome::error);
    }

    public List<SnapshotInfo> disks() {
        return snapshot.map(SnapshotOutcome::snapshots).orElse(null);
    }

    public SnapshotTelemetry telemetry() {
        return snapshot.map(SnapshotOutcome::telemetry).orElse(SnapshotTelemetry.NONE);
    }

    /** What the post-scripts are told in VMSNAPSHOT_SNAPSHOT_OUTCOME. */
    public String outcomeWord() {
        if (snapshot.isEmpty()) {
            return "skipped";
        }
        return snapshotTaken() && snapshotError().isEmpty() ? "success" : "failed";
    }
}

package io.vmsnapshot.report;

import io.vmsnapshot.backup.Consistency;
import io.vmsnapshot.freeze.UsedSize;
import io.vmsnapshot.snapshot.SnapshotInfo;
import io.vmsnapshot.status.StatusType;
import java.util.List;
import java.util.Optional;
import java.util.Objects;

/**
 * Everything the two status documents say about one backup.
 *
 * @param message   the human message, already localized
 * @param telemetry upstream's telemetryData; empty for the interim (transitioning) report, which has none
 * @param usedSize  {@code storageDetails}; {@link UsedSize#UNKNOWN} before the final report, as upstream
 */
public record BackupReport(StatusType status, int code, String message, Consistency consistency, int healthCode,
                           int healthState, String taskId, String commandStartTimeUTCTicks,
                           List<SnapshotInfo> snapshots, Optional<BackupTelemetry> telemetry, String uniqueMachineId,
                           int partitionCount, String lang, String vmType, UsedSize usedSize) {
    public BackupReport {
        Objects.requireNonNull(usedSize, "usedSize");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(consistency, "consistency");
        snapshots = snapshots == null ? null : List.copyOf(snapshots);
        Objects.requireNonNull(telemetry, "telemetry");
        Objects.requireNonNull(lang, "lang");
    }
}

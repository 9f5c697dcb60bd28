package io.vmsnapshot.report;

import io.vmsnapshot.backup.Consistency;
import io.vmsnapshot.snapshot.SnapshotInfo;
import io.vmsnapshot.status.StatusType;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the two status documents say about one backup.
 *
 * @param message   the human message, already localized
 * @param telemetry key/value pairs in upstream's telemetryData (phase timings included)
 */
public record BackupReport(StatusType status, int code, String message, Consistency consistency, int healthCode,
                           int healthState, String taskId, String commandStartTimeUTCTicks,
                           List<SnapshotInfo> snapshots, Map<String, String> telemetry, String uniqueMachineId,
                           int partitionCount, String lang, String vmType) {
    public BackupReport {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(consistency, "consistency");
        snapshots = snapshots == null ? null : List.copyOf(snapshots);
        telemetry = Map.copyOf(telemetry);
        Objects.requireNonNull(lang, "lang");
    }
}

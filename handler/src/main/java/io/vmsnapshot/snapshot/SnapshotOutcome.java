package io.vmsnapshot.snapshot;

import io.vmsnapshot.error.ErrorCode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the snapshot step produced, for the status documents.
 *
 * @param snapshots  one entry per disk, in request order (host: in the host's order)
 * @param creator    who took them
 * @param error      empty when every disk was snapshotted; else 76, 85, 173 or 556
 * @param healthCode the {@code vmHealthStatusCode} to report; differs from {@code error} only for a
 *                   partial failure (error 76, health 761)
 * @param detail     what happened, naming the failed disks by blob URL (never a token); empty on success
 * @param telemetry  who took them, the host calls' answers (when they ran), the time taken
 */
public record SnapshotOutcome(
        List<SnapshotInfo> snapshots,
        SnapshotCreator creator,
        Optional<ErrorCode> error,
        Optional<ErrorCode> healthCode,
        String detail,
        SnapshotTelemetry telemetry) {

    public SnapshotOutcome {
        snapshots = List.copyOf(snapshots);
        Objects.requireNonNull(creator, "creator");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(healthCode, "healthCode");
        Objects.requireNonNull(detail, "detail");
        if (error.isEmpty() != healthCode.isEmpty()) {
            throw new IllegalArgumentException("error and healthCode are set together: " + error + " / " + healthCode);
        }
        Objects.requireNonNull(telemetry, "telemetry");
    }

    public boolean isSuccess() {
        return error.isEmpty();
    }

    long successfulCount() {
        return snapshots.stream().filter(SnapshotInfo::isSuccessful).count();
    }
}

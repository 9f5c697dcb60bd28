package io.vmsnapshot.backup;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.status.StatusType;
import java.util.Objects;

/**
 * The result of one backup for the service: status and code, the consistency reached, and the
 * health code ({@code vmHealthInfo.vmHealthStatusCode}: the first problem even when the backup
 * succeeded, e.g. 300 with code 1 when a pre-script failed and the snapshot is file-system consistent).
 */
public record BackupVerdict(StatusType status, ErrorCode code, Consistency consistency, ErrorCode healthCode,
                            String reason) {
    public BackupVerdict {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(consistency, "consistency");
        Objects.requireNonNull(healthCode, "healthCode");
        Objects.requireNonNull(reason, "reason");
    }
}

package io.vmsnapshot.report;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.status.StatusReport;
import io.vmsnapshot.status.StatusType;
import java.util.Objects;

/**
 * How a backup ended: the outcome in the handler's terms (for the task registry and the operator's
 * {@code status} command) and the status file document the agent reads.
 */
public record BackupOutcome(StatusType status, ErrorCode code, String message, StatusReport fileStatus) {
    public BackupOutcome {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fileStatus, "fileStatus");
    }
}

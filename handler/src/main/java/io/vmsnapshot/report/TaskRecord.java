package io.vmsnapshot.report;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.status.StatusType;
import java.util.Objects;

/**
 * What the handler remembers of one backup task, so that a repeated taskId reports the earlier
 * outcome instead of silence (upstream exits without any status).
 */
public record TaskRecord(String taskId, int sequenceNumber, StatusType status, int code, String message,
                         String locale, long updatedEpochMillis) {
    public TaskRecord {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }

    /** A task that failed with {@code code}: the catalogue's message for it in the task's language, with this detail. */
    public static TaskRecord failed(String taskId, int sequenceNumber, ErrorCode code, Messages messages, String detail,
                             String locale, long updatedEpochMillis) {
        return new TaskRecord(taskId, sequenceNumber, StatusType.ERROR, code.code(), messages.describe(code, detail),
                locale, updatedEpochMillis);
    }

    public boolean finished() {
        return status == StatusType.SUCCESS || status == StatusType.ERROR;
    }
}

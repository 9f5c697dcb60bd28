package io.vmsnapshot.lifecycle;

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

    public boolean finished() {
        return status == StatusType.SUCCESS || status == StatusType.ERROR;
    }
}

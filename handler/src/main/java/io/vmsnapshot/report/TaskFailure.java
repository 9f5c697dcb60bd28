package io.vmsnapshot.report;

import io.vmsnapshot.agent.Operation;
import io.vmsnapshot.error.ErrorCode;
import java.util.Objects;

/**
 * A task that ended in an error before (or instead of) a backup report: what its {@code <seq>.status}
 * and its task record say.
 *
 * @param taskId empty when the request had none (or could not be read): then there is no record to write
 * @param locale the request's locale, as the task record keeps it; the texts are in its language
 */
public record TaskFailure(int sequenceNumber, Operation operation, ErrorCode code, String detail, String taskId,
                          String locale) {
    public TaskFailure {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(taskId, "taskId");
    }
}

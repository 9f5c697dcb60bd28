package io.vmsnapshot.report;

import io.vmsnapshot.error.Messages;
import io.vmsnapshot.status.StatusType;
import java.io.IOException;
import java.time.Clock;
import java.util.Objects;

/**
 * Says that a task failed everywhere it is read: {@code <seq>.status} (for the agent) and the task
 * record (for a repeated enable and {@code handle.sh status}). The status file goes first: a later
 * start takes a record that says "finished" to mean its status is written too (disable reports only
 * the tasks whose record is unfinished), so a crash between the two writes must leave a status
 * without a record, which the next start completes, never a "transitioning" status nobody rewrites.
 */
public final class FailedTaskReporter {
    private final TaskRegistry tasks;
    private final Clock clock;

    public FailedTaskReporter(TaskRegistry tasks, Clock clock) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The status file through {@code reporter} (the agent's, or a fallback), then the task record. */
    public void publish(StatusReporter reporter, TaskFailure failure) throws IOException {
        reportStatus(reporter, failure);
        remember(failure);
    }

    /**
     * Only the status file: for a failure whose task is not known yet (a busy worker has not read its
     * settings), or not known at all. Call {@link #remember} after it once the task is known.
     */
    public void reportStatus(StatusReporter reporter, TaskFailure failure) throws IOException {
        reporter.report(failure.sequenceNumber(), failure.operation(), StatusType.ERROR, failure.code(),
                Messages.forLocale(failure.locale()), failure.detail());
    }

    /**
     * Only the task record: for a failure whose status file is written elsewhere, after this (a failed
     * launch is rethrown for {@code Handler} to report), or was written before ({@link #reportStatus}).
     */
    public void remember(TaskFailure failure) throws IOException {
        if (failure.taskId().isEmpty()) {
            return;
        }
        tasks.put(TaskRecord.failed(failure.taskId(), failure.sequenceNumber(), failure.code(),
                Messages.forLocale(failure.locale()), failure.detail(), failure.locale(), clock.millis()));
    }
}

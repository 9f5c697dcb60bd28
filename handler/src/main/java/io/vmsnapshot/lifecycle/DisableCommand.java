package io.vmsnapshot.lifecycle;

import io.vmsnapshot.agent.Operation;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.report.AgentFileAccess;
import io.vmsnapshot.report.AgentFiles;
import io.vmsnapshot.report.FailedTaskReporter;
import io.vmsnapshot.report.TaskFailure;
import io.vmsnapshot.report.TaskRecord;
import io.vmsnapshot.report.TaskRegistry;
import io.vmsnapshot.worker.Workers;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's disable: stop an in-flight backup safely (thaw, post-scripts) and say so. A worker
 * stopped before it could report (still starting up) leaves its task transitioning: disable then
 * reports it as interrupted, so that no status says "transitioning" forever.
 */
public final class DisableCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(DisableCommand.class);

    private final Workers workers;
    private final AgentFileAccess agentFiles;
    private final TaskRegistry tasks;
    private final FailedTaskReporter failedTasks;

    public DisableCommand(Workers workers, AgentFileAccess agentFiles, TaskRegistry tasks,
                          FailedTaskReporter failedTasks) {
        this.workers = Objects.requireNonNull(workers, "workers");
        this.agentFiles = Objects.requireNonNull(agentFiles, "agentFiles");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.failedTasks = Objects.requireNonNull(failedTasks, "failedTasks");
    }

    @Override
    public int run(List<String> arguments) throws HandlerException, IOException {
        boolean stopped = workers.stopAll();
        Messages messages = Messages.forLocale(null);
        try {
            AgentFiles files = agentFiles.open();
            if (stopped) {
                reportInterrupted(files);
            }
            files.reporter().heartbeat(false, messages.languageTag(),
                    stopped ? "Disabled" : "Disabled; a backup is still finishing");
        } catch (HandlerException e) {
            // Nothing to report to: the heartbeat is optional and disable must still succeed.
        }
        return stopped ? ExitCodes.SUCCESS : ExitCodes.BUSY;
    }

    private void reportInterrupted(AgentFiles files) throws IOException {
        for (TaskRecord task : tasks.readAll()) {
            if (task.finished()) {
                continue;
            }
            LOG.warn("task-interrupted taskId={} seq={}", task.taskId(), task.sequenceNumber());
            failedTasks.publish(files.reporter(), new TaskFailure(task.sequenceNumber(), Operation.ENABLE,
                    ErrorCode.BACKUP_INTERRUPTED, "The backup was stopped by disable before it reported.",
                    task.taskId(), task.locale()));
        }
    }
}

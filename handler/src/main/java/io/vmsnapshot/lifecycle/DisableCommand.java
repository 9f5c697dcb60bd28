package io.vmsnapshot.lifecycle;

import io.vmsnapshot.agent.Operation;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.report.AgentFileAccess;
import io.vmsnapshot.report.AgentFiles;
import io.vmsnapshot.report.TaskRecord;
import io.vmsnapshot.report.TaskRegistry;
import io.vmsnapshot.status.StatusType;
import io.vmsnapshot.worker.Workers;
import java.io.IOException;
import java.time.Clock;
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
    private final Clock clock;

    public DisableCommand(Workers workers, AgentFileAccess agentFiles, TaskRegistry tasks, Clock clock) {
        this.workers = Objects.requireNonNull(workers, "workers");
        this.agentFiles = Objects.requireNonNull(agentFiles, "agentFiles");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.clock = Objects.requireNonNull(clock, "clock");
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
            Messages messages = Messages.forLocale(task.locale());
            String detail = "The backup was stopped by disable before it reported.";
            LOG.warn("task-interrupted taskId={} seq={}", task.taskId(), task.sequenceNumber());
            files.reporter().report(task.sequenceNumber(), Operation.ENABLE, StatusType.ERROR,
                    ErrorCode.BACKUP_INTERRUPTED, messages, detail);
            tasks.put(TaskRecord.failed(task.taskId(), task.sequenceNumber(), ErrorCode.BACKUP_INTERRUPTED, messages,
                    detail, task.locale(), clock.millis()));
        }
    }
}

package io.vmsnapshot.lifecycle;

import io.vmsnapshot.agent.Operation;
import io.vmsnapshot.report.AgentFiles;
import io.vmsnapshot.report.TaskRecord;
import io.vmsnapshot.report.TaskRegistry;
import io.vmsnapshot.worker.WorkerProcesses;
import io.vmsnapshot.worker.WorkerStopper;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.status.StatusType;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's disable: stop an in-flight backup safely (thaw, post-scripts) and say so. A worker
 * stopped before it could report (still starting up) leaves its task transitioning: disable then
 * reports it as interrupted, so that no status says "transitioning" forever.
 */
final class DisableCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(DisableCommand.class);
    /** Within the agent's 900 s disable timeout, with room for the agent's own steps. */
    static final Duration PATIENCE = Duration.ofMinutes(12);

    @Override
    public int run(HandlerContext context, List<String> arguments) throws HandlerException, IOException {
        boolean stopped = stopWorkers(context);
        Messages messages = Messages.forLocale(null);
        try {
            AgentFiles files = AgentFiles.open(context.paths(), context.clock());
            if (stopped) {
                reportInterrupted(context, files);
            }
            files.reporter().heartbeat(false, messages.languageTag(),
                    stopped ? "Disabled" : "Disabled; a backup is still finishing");
        } catch (HandlerException e) {
            // Nothing to report to: the heartbeat is optional and disable must still succeed.
        }
        return stopped ? ExitCodes.SUCCESS : ExitCodes.BUSY;
    }

    static boolean stopWorkers(HandlerContext context) throws IOException {
        return WorkerStopper.stop(context.paths().workerLockFile(),
                WorkerProcesses.find(context.paths().packageRoot()), PATIENCE);
    }

    private static void reportInterrupted(HandlerContext context, AgentFiles files) throws IOException {
        TaskRegistry tasks = new TaskRegistry(context.paths().taskRegistryFile());
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
                    detail, task.locale(), context.clock().millis()));
        }
    }
}

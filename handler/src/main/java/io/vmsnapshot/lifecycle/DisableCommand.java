package io.vmsnapshot.lifecycle;

import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.error.Messages;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** The agent's disable: stop an in-flight backup safely (thaw, post-scripts) and say so. */
final class DisableCommand implements Command {
    /** Within the agent's 900 s disable timeout, with room for the agent's own steps. */
    static final Duration PATIENCE = Duration.ofMinutes(12);

    @Override
    public int run(HandlerContext context, List<String> arguments) throws HandlerException, IOException {
        boolean stopped = WorkerStopper.stop(context.paths().workerLockFile(), PATIENCE);
        Messages messages = Messages.forLocale(null);
        try {
            AgentFiles.open(context.paths(), context.clock()).reporter()
                    .heartbeat(false, messages.languageTag(), stopped ? "Disabled" : "Disabled; a backup is still finishing");
        } catch (HandlerException e) {
            // Nothing to report to: the heartbeat is optional and disable must still succeed.
        }
        return stopped ? ExitCodes.SUCCESS : ExitCodes.BUSY;
    }
}

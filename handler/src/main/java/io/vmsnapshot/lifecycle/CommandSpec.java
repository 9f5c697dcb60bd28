package io.vmsnapshot.lifecycle;

import io.vmsnapshot.agent.Operation;
import java.util.Objects;

/**
 * Per-verb policy as data: what runs, whether a failure is reported in the status file (only
 * where the agent has a sequence number for it), and the exit code of a failure.
 */
public record CommandSpec(Operation operation, Command command, boolean reportsStatus, int failExitCode) {
    public CommandSpec {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(command, "command");
    }
}

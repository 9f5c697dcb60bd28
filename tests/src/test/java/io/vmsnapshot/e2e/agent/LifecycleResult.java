package io.vmsnapshot.e2e.agent;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The commands one agent sequence ran, in order.
 *
 * @param aborted the agent stopped the sequence on a failure (install failed, update step failed)
 */
public record LifecycleResult(List<CommandResult> commands, boolean aborted) {
    public LifecycleResult {
        commands = List.copyOf(commands);
    }

    public Optional<CommandResult> command(AgentSimulator.Operation operation, String version) {
        return commands.stream()
                .filter(command -> command.operation() == operation && command.version().equals(version))
                .findFirst();
    }

    public boolean allSucceeded() {
        return !aborted && commands.stream().allMatch(CommandResult::succeeded);
    }

    /** "disable 1.0.1=0, update 1.0.2=0, ..." for assertion messages. */
    public String exitCodes() {
        return commands.stream()
                .map(command -> command.operation().verb() + " " + command.version() + "="
                        + (command.timedOut() ? "timeout" : command.exitCode()))
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return (aborted ? "aborted: " : "") + commands.stream().map(CommandResult::toString)
                .collect(Collectors.joining("\n---\n"));
    }
}

package io.vmsnapshot.e2e.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * One lifecycle command as the agent saw it.
 *
 * @param exitCode the shell's exit code; -9 style values never appear: a timed-out command has
 *                 {@code timedOut} set and the code the killed shell returned
 */
public record CommandResult(AgentSimulator.Operation operation, String version, String commandLine, int exitCode,
                            boolean timedOut, String stdout, String stderr, Duration elapsed) {
    private static final int AGENT_OUTPUT_LIMIT = 3200;

    public CommandResult {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(version, "version");
    }

    public boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /** The agent's text for CommandExecution.log and error messages: first 3200 bytes of each stream, tail-trimmed to 3200 chars. */
    public String agentOutput() {
        String text = "[stdout]\n" + head(stdout) + "\n\n[stderr]\n" + head(stderr);
        return text.length() <= AGENT_OUTPUT_LIMIT ? text : text.substring(text.length() - AGENT_OUTPUT_LIMIT);
    }

    private static String head(String text) {
        return text.length() <= AGENT_OUTPUT_LIMIT ? text : text.substring(0, AGENT_OUTPUT_LIMIT);
    }

    @Override
    public String toString() {
        return operation + " " + version + " -> " + (timedOut ? "timed out" : "exit " + exitCode) + " in "
                + elapsed.toMillis() + " ms\n" + agentOutput();
    }
}

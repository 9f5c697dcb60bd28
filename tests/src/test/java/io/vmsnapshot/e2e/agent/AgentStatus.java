package io.vmsnapshot.e2e.agent;

import java.util.List;
import java.util.Objects;

/**
 * What the agent takes from {@code status/<seq>.status} once the file passed {@link StatusFileRules}.
 *
 * @param status one of transitioning, warning, error, success
 * @param operation {@code status.operation}, may be null
 */
public record AgentStatus(String status, int code, String lang, String message, String operation,
                          List<Substatus> substatus) {
    public AgentStatus {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        substatus = List.copyOf(substatus);
    }

    public record Substatus(String name, String status, int code, String lang, String message) {
    }

    /** The agent's terminal statuses (contract §9); warning and transitioning keep CRP waiting. */
    public boolean isTerminal() {
        return status.equals("success") || status.equals("error");
    }
}

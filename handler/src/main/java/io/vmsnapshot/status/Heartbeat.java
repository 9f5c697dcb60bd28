package io.vmsnapshot.status;

import java.util.Objects;

/**
 * The handler-level state the agent copies verbatim from {@code heartbeat.log}
 * (docs/agent-contract.md §10). It wins over the agent's own handler status, so disable must write
 * {@code NotReady}.
 */
public record Heartbeat(String status, int code, FormattedMessage formattedMessage) {
    public static final String READY = "Ready";
    public static final String NOT_READY = "NotReady";

    public Heartbeat {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(formattedMessage, "formattedMessage");
        if (!status.equals(READY) && !status.equals(NOT_READY)) {
            throw new IllegalArgumentException("heartbeat status must be Ready or NotReady: " + status);
        }
    }

    public static Heartbeat ready(String message) {
        return new Heartbeat(READY, 0, FormattedMessage.english(message));
    }

    public static Heartbeat notReady(int code, String message) {
        return new Heartbeat(NOT_READY, code, FormattedMessage.english(message));
    }
}

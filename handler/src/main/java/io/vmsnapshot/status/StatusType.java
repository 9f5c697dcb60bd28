package io.vmsnapshot.status;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The four status values the agent accepts (docs/agent-contract.md §9). It compares them
 * case-sensitively and silently turns anything else into {@code error}, so they are written
 * lowercase.
 */
public enum StatusType {
    TRANSITIONING,
    WARNING,
    ERROR,
    SUCCESS;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    /** Only {@code success} and {@code error} end the agent's wait. */
    public boolean isTerminal() {
        return this == SUCCESS || this == ERROR;
    }

    public static Optional<StatusType> fromWireName(String text) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(text)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}

package io.vmsnapshot.status;

import java.util.Objects;

/**
 * One substatus entry. Ours carries the status blob document in {@code name} (docs/backup-flow.md §3.2),
 * which is why the name may be long and is truncated with the messages.
 */
public record Substatus(String name, StatusType status, int code, FormattedMessage formattedMessage) {
    public Substatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(formattedMessage, "formattedMessage");
    }
}

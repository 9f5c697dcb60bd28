package io.vmsnapshot.status;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The content of one {@code <seq>.status} file (docs/agent-contract.md §9). */
public record StatusReport(
        String name,
        String operation,
        StatusType status,
        int code,
        FormattedMessage formattedMessage,
        List<Substatus> substatus,
        Instant timestamp) {

    public StatusReport {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(formattedMessage, "formattedMessage");
        substatus = List.copyOf(Objects.requireNonNull(substatus, "substatus"));
        Objects.requireNonNull(timestamp, "timestamp");
    }
}

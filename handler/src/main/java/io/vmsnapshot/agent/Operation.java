package io.vmsnapshot.agent;

import java.util.Arrays;
import java.util.Optional;

/** Every verb {@code bin/handle.sh} accepts: the agent's five, the detached worker, and the operator's. */
public enum Operation {
    INSTALL("install", "Install"),
    ENABLE("enable", "Enable"),
    DISABLE("disable", "Disable"),
    UNINSTALL("uninstall", "Uninstall"),
    UPDATE("update", "Update"),
    /** The detached process that runs one backup; started by enable, never by the agent. */
    WORKER("worker", "Enable"),
    CHECK("check", "Check"),
    DRY_RUN("dry-run", "DryRun"),
    STATUS("status", "Status");

    private final String verb;
    private final String statusName;

    Operation(String verb, String statusName) {
        this.verb = verb;
        this.statusName = statusName;
    }

    public String verb() {
        return verb;
    }

    /** The {@code operation} field of the status file (the worker reports as Enable, as upstream does). */
    public String statusName() {
        return statusName;
    }

    /** Accepts the verb with or without leading dashes, as agents and humans type it. */
    public static Optional<Operation> fromVerb(String argument) {
        String verb = argument.replaceFirst("^-+", "");
        return Arrays.stream(values()).filter(op -> op.verb.equalsIgnoreCase(verb)).findFirst();
    }
}

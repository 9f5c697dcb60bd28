package io.vmsnapshot.report;

import io.vmsnapshot.agent.HandlerEnvironment;
import java.util.Objects;

/** The agent's files for this handler, as HandlerEnvironment.json names them, and the reporter that writes them. */
public record AgentFiles(HandlerEnvironment environment, StatusReporter reporter) {
    public AgentFiles {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(reporter, "reporter");
    }
}

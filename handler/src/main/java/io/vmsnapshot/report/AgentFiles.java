package io.vmsnapshot.report;

import io.vmsnapshot.agent.HandlerName;
import io.vmsnapshot.agent.HandlerPaths;
import io.vmsnapshot.agent.HandlerEnvironment;
import io.vmsnapshot.agent.HandlerEnvironmentReader;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.status.HeartbeatWriter;
import io.vmsnapshot.status.StatusFileWriter;
import java.time.Clock;
import java.util.Objects;

/** The agent's files for this handler, as HandlerEnvironment.json names them. */
public record AgentFiles(HandlerEnvironment environment, StatusReporter reporter) {
    public AgentFiles {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(reporter, "reporter");
    }

    public static AgentFiles open(HandlerPaths paths, Clock clock) throws HandlerException {
        HandlerEnvironment environment = new HandlerEnvironmentReader().read(paths.handlerEnvironmentFile());
        StatusReporter reporter = new StatusReporter(new StatusFileWriter(environment.statusFolder()),
                new HeartbeatWriter(environment.heartbeatFile()), environment.name(), clock);
        return new AgentFiles(environment, reporter);
    }

    /**
     * Where to report when HandlerEnvironment.json itself is broken: the agent always makes the
     * status folder {@code <base>/status}, so the portal still learns why.
     */
    public static StatusReporter fallbackReporter(HandlerPaths paths, Clock clock) {
        return new StatusReporter(new StatusFileWriter(paths.fallbackStatusFolder()), null,
                HandlerName.fromPackageRoot(paths.packageRoot()), clock);
    }
}

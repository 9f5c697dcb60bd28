package io.vmsnapshot.report;

import io.vmsnapshot.agent.HandlerEnvironment;
import io.vmsnapshot.agent.HandlerEnvironmentFile;
import io.vmsnapshot.agent.HandlerName;
import io.vmsnapshot.agent.HandlerPaths;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.status.HeartbeatWriter;
import io.vmsnapshot.status.StatusFileWriter;
import java.time.Clock;
import java.util.Objects;

/** The one way a command reaches the agent's status and heartbeat files (HandlerEnvironment.json is read once). */
public final class AgentFileAccess {
    private final HandlerEnvironmentFile environmentFile;
    private final HandlerPaths paths;
    private final Clock clock;

    public AgentFileAccess(HandlerEnvironmentFile environmentFile, HandlerPaths paths, Clock clock) {
        this.environmentFile = Objects.requireNonNull(environmentFile, "environmentFile");
        this.paths = Objects.requireNonNull(paths, "paths");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @throws HandlerException when HandlerEnvironment.json is missing or invalid */
    public AgentFiles open() throws HandlerException {
        HandlerEnvironment environment = environmentFile.read();
        StatusReporter reporter = new StatusReporter(new StatusFileWriter(environment.statusFolder()),
                new HeartbeatWriter(environment.heartbeatFile()), environment.name(), clock);
        return new AgentFiles(environment, reporter);
    }

    /**
     * Where to report when HandlerEnvironment.json itself is broken: the agent always makes the
     * status folder {@code <base>/status}, so the portal still learns why.
     */
    public StatusReporter fallbackReporter() {
        return new StatusReporter(new StatusFileWriter(paths.fallbackStatusFolder()), null,
                HandlerName.fromPackageRoot(paths.packageRoot()), clock);
    }

    /** Where {@link #fallbackReporter} writes, for the log line of a failed write. */
    public java.nio.file.Path fallbackStatusFolder() {
        return paths.fallbackStatusFolder();
    }
}

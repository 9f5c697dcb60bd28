package io.vmsnapshot.worker;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * This package's workers, stopped the safe way: the one holding the lock and any still starting up
 * or waiting behind it (found by command line), each told to thaw and run its post-scripts first.
 */
public final class Workers {
    /** Within the agent's 900 s disable timeout, with room for the agent's own steps. */
    public static final Duration PATIENCE = Duration.ofMinutes(12);

    private final Path lockFile;
    private final Path procRoot;
    private final Path packageRoot;
    private final long self;
    private final Duration patience;

    /** @param self this process, which is never a worker to stop */
    public Workers(Path lockFile, Path procRoot, Path packageRoot, long self, Duration patience) {
        this.lockFile = Objects.requireNonNull(lockFile, "lockFile");
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
        this.packageRoot = Objects.requireNonNull(packageRoot, "packageRoot");
        this.self = self;
        this.patience = Objects.requireNonNull(patience, "patience");
    }

    /** @return true when no worker runs any more */
    public boolean stopAll() throws IOException {
        return WorkerStopper.stop(lockFile, WorkerProcesses.find(procRoot, packageRoot, self), patience);
    }
}

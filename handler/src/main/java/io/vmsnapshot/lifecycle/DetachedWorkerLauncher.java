package io.vmsnapshot.lifecycle;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Starts {@code bin/handle.sh worker <seq>} in a session of its own (util-linux {@code setsid}), so
 * that the agent's SIGKILL of enable's process group at its 300 s limit cannot reach a backup that
 * is holding file systems frozen. Its standard streams go to /dev/null: the agent waits for nothing
 * of ours, and the worker writes its own log.
 */
public final class DetachedWorkerLauncher implements WorkerLauncher {
    private static final File DEV_NULL = new File("/dev/null");

    private final Path launcher;
    private final Path workDir;

    public DetachedWorkerLauncher(Path launcher, Path workDir) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    @Override
    public void launch(int sequenceNumber) throws IOException {
        new ProcessBuilder(List.of("setsid", "/bin/sh", launcher.toString(), Operation.WORKER.verb(),
                Integer.toString(sequenceNumber)))
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}

package io.vmsnapshot.worker;

import io.vmsnapshot.agent.Operation;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@code bin/handle.sh worker <seq>} in a session of its own (util-linux {@code setsid}), so
 * that the agent's SIGKILL of enable's process group at its 300 s limit cannot reach a backup that
 * is holding file systems frozen. Its standard streams go to /dev/null: the agent waits for nothing
 * of ours, and the worker writes its own log.
 *
 * <p>A double fork through {@code /bin/sh}: the shell starts {@code setsid} in the background and
 * exits at once, so the worker is nobody's child in this JVM. A JVM that exits with a child still
 * running has a reaper thread sitting in waitpid(), and the JVM's exit waits 300 ms for threads in
 * native code — more than enable's whole work. Not {@code setsid --fork}: RHEL 7's util-linux 2.23
 * has no such option. The background child is not a process-group leader (a non-interactive shell
 * has no job control), so every setsid, old or new, calls setsid(2) and execs without a fork of its
 * own.
 */
public final class DetachedWorkerLauncher implements WorkerLauncher {
    private static final Duration FORK_WAIT = Duration.ofSeconds(10);
    /** $0 is setsid; the rest is the worker's command line. */
    private static final String DETACH = "\"$0\" \"$@\" </dev/null >/dev/null 2>&1 &";

    private final Path setsid;
    private final Path launcher;
    private final Path workDir;

    public DetachedWorkerLauncher(Path setsid, Path launcher, Path workDir) {
        this.setsid = Objects.requireNonNull(setsid, "setsid");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
    }

    @Override
    public void launch(int sequenceNumber) throws IOException {
        Process shell = new ProcessBuilder(List.of("/bin/sh", "-c", DETACH, setsid.toString(), "/bin/sh",
                launcher.toString(), Operation.WORKER.verb(), Integer.toString(sequenceNumber)))
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!shell.waitFor(FORK_WAIT.toMillis(), TimeUnit.MILLISECONDS) || shell.exitValue() != 0) {
                throw new IOException("/bin/sh did not start the worker through " + setsid + " (exit "
                        + (shell.isAlive() ? "pending" : shell.exitValue()) + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the worker", e);
        }
    }
}

package io.vmsnapshot.lifecycle;

import io.vmsnapshot.agent.HandlerPaths;
import io.vmsnapshot.worker.ShutdownHooks;
import io.vmsnapshot.worker.WorkerLauncher;
import io.vmsnapshot.backup.BackupJob;
import io.vmsnapshot.journal.BackupRecovery;
import io.vmsnapshot.logging.LogHold;
import io.vmsnapshot.logging.Redactor;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a command may touch, passed in: paths, the environment, the clock, the operator's
 * terminal (out; err is what the agent records of a failed command), and the seams to processes and to the backup itself.
 */
public record HandlerContext(HandlerPaths paths, Map<String, String> env, Clock clock, PrintStream out, PrintStream err,
                             WorkerLauncher workerLauncher, BackupJob backupJob, LogHold logHold,
                             Redactor redactor, ShutdownHooks shutdownHooks, long pid, String version,
                             BackupRecovery recovery) {
    /** Without recovery of interrupted backups (tests that do not need it). */
    public HandlerContext(HandlerPaths paths, Map<String, String> env, Clock clock, PrintStream out, PrintStream err,
                          WorkerLauncher workerLauncher, BackupJob backupJob, LogHold logHold, Redactor redactor,
                          ShutdownHooks shutdownHooks, long pid, String version) {
        this(paths, env, clock, out, err, workerLauncher, backupJob, logHold, redactor, shutdownHooks, pid, version,
                BackupRecovery.NONE);
    }

    public HandlerContext {
        Objects.requireNonNull(paths, "paths");
        env = Map.copyOf(env);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(workerLauncher, "workerLauncher");
        Objects.requireNonNull(backupJob, "backupJob");
        Objects.requireNonNull(logHold, "logHold");
        Objects.requireNonNull(redactor, "redactor");
        Objects.requireNonNull(shutdownHooks, "shutdownHooks");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(recovery, "recovery");
    }
}

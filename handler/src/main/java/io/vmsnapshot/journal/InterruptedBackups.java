package io.vmsnapshot.journal;

import io.vmsnapshot.agent.Operation;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.journal.BackupRecovery.RecoveredBackup;
import io.vmsnapshot.report.FailedTaskReporter;
import io.vmsnapshot.report.StatusReporter;
import io.vmsnapshot.report.TaskFailure;
import io.vmsnapshot.worker.WorkerLauncher;
import io.vmsnapshot.worker.WorkerLock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a backup whose worker died (kill -9, OOM, reboot) under its own sequence number: the
 * journal's recovery runs the post phase it owed, and the status says where it stopped and what
 * recovery did, instead of "transitioning" forever.
 */
public final class InterruptedBackups {
    private static final Logger LOG = LoggerFactory.getLogger(InterruptedBackups.class);

    private final BackupRecovery recovery;
    private final FailedTaskReporter failedTasks;
    private final Path workerLockFile;
    private final WorkerLauncher workerLauncher;

    public InterruptedBackups(BackupRecovery recovery, FailedTaskReporter failedTasks, Path workerLockFile,
                              WorkerLauncher workerLauncher) {
        this.recovery = Objects.requireNonNull(recovery, "recovery");
        this.failedTasks = Objects.requireNonNull(failedTasks, "failedTasks");
        this.workerLockFile = Objects.requireNonNull(workerLockFile, "workerLockFile");
        this.workerLauncher = Objects.requireNonNull(workerLauncher, "workerLauncher");
    }

    /** Under the worker lock: recovers and reports an interrupted backup; returns its sequence number. */
    public Optional<Integer> recover(StatusReporter reporter) throws IOException {
        Optional<RecoveredBackup> found = recovery.recover();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RecoveredBackup recovered = found.get();
        failedTasks.publish(reporter, new TaskFailure(recovered.sequenceNumber(), Operation.WORKER,
                ErrorCode.BACKUP_INTERRUPTED, recovered.detail(), recovered.taskId(), recovered.locale()));
        recovery.done();
        return Optional.of(recovered.sequenceNumber());
    }

    /**
     * Enable: a journal no worker is busy with gets a worker of its own at once, so that an owed
     * post-script runs now — also when this enable starts no backup (same sequence number after a
     * reboot, a repeated task) — not at the next scheduled backup, a day later.
     */
    public void startRecoveryIfNeeded() {
        try {
            Optional<Integer> pending = recovery.pending();
            if (pending.isPresent() && WorkerLock.holder(workerLockFile).isEmpty()) {
                LOG.warn("backup-recovery-needed seq={} action=start-worker", pending.get());
                workerLauncher.launch(pending.get());
            }
        } catch (IOException e) {
            LOG.warn("backup-recovery-not-started error={}", e.toString());
        }
    }

    /** A worker whose backup already has its final status (recovered, or done by another) has nothing to do. */
    public static boolean alreadyReported(StatusReporter reporter, int seq) {
        return reporter.read(seq).map(report -> report.status().isTerminal()).orElse(false);
    }
}

package io.vmsnapshot.journal;

import io.vmsnapshot.agent.Operation;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.journal.BackupRecovery.RecoveredBackup;
import io.vmsnapshot.report.StatusReporter;
import io.vmsnapshot.report.TaskRecord;
import io.vmsnapshot.report.TaskRegistry;
import io.vmsnapshot.status.StatusType;
import io.vmsnapshot.worker.WorkerLauncher;
import io.vmsnapshot.worker.WorkerLock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
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
    private final TaskRegistry tasks;
    private final Path workerLockFile;
    private final WorkerLauncher workerLauncher;
    private final Clock clock;

    public InterruptedBackups(BackupRecovery recovery, TaskRegistry tasks, Path workerLockFile,
                              WorkerLauncher workerLauncher, Clock clock) {
        this.recovery = Objects.requireNonNull(recovery, "recovery");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.workerLockFile = Objects.requireNonNull(workerLockFile, "workerLockFile");
        this.workerLauncher = Objects.requireNonNull(workerLauncher, "workerLauncher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Under the worker lock: recovers and reports an interrupted backup; returns its sequence number. */
    public Optional<Integer> recover(StatusReporter reporter) throws IOException {
        Optional<RecoveredBackup> found = recovery.recover();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RecoveredBackup recovered = found.get();
        Messages messages = Messages.forLocale(recovered.locale());
        reporter.report(recovered.sequenceNumber(), Operation.WORKER, StatusType.ERROR,
                ErrorCode.BACKUP_INTERRUPTED, messages, recovered.detail());
        if (!recovered.taskId().isEmpty()) {
            tasks.put(TaskRecord.failed(recovered.taskId(), recovered.sequenceNumber(), ErrorCode.BACKUP_INTERRUPTED,
                    messages, recovered.detail(), recovered.locale(), clock.millis()));
        }
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

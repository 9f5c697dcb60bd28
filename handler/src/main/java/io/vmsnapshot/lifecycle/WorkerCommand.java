package io.vmsnapshot.lifecycle;

import io.vmsnapshot.agent.Operation;
import io.vmsnapshot.backup.BackupRequest;
import io.vmsnapshot.backup.Cancellation;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.journal.InterruptedBackups;
import io.vmsnapshot.logging.LogHold;
import io.vmsnapshot.logging.Redactor;
import io.vmsnapshot.report.AgentFileAccess;
import io.vmsnapshot.report.AgentFiles;
import io.vmsnapshot.report.BackupOutcome;
import io.vmsnapshot.report.FailedTaskReporter;
import io.vmsnapshot.report.ReportedBackupJob;
import io.vmsnapshot.report.TaskFailure;
import io.vmsnapshot.settings.EncryptedHandlerSettings;
import io.vmsnapshot.settings.HandlerSettings;
import io.vmsnapshot.settings.SettingsReader;
import io.vmsnapshot.settings.SettingsScrubber;
import io.vmsnapshot.worker.HeartbeatKeeper;
import io.vmsnapshot.worker.ShutdownHooks;
import io.vmsnapshot.worker.WorkerLock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detached worker: one backup under the worker lock, ending in a final status — also when it
 * is told to stop, in which case the backup still thaws and runs the post-scripts first.
 */
public final class WorkerCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerCommand.class);
    /** A second enable waits this long for the first backup before reporting "busy". */
    public static final Duration LOCK_WAIT = Duration.ofMinutes(5);
    private static final Duration LOCK_POLL = Duration.ofMillis(100);
    /** How long a stop request waits for thaw and post-scripts; every step inside is bounded. */
    private static final Duration STOP_GRACE = Duration.ofMinutes(10);

    private final AgentFileAccess agentFiles;
    private final SettingsReader settingsReader;
    private final SettingsScrubber scrubber;
    private final FailedTaskReporter failedTasks;
    private final InterruptedBackups interrupted;
    private final ReportedBackupJob backupJob;
    private final Path workerLockFile;
    private final ShutdownHooks shutdownHooks;
    private final LogHold logHold;
    private final Redactor redactor;
    private final long pid;
    private final PrintStream out;
    private final Duration lockWait;

    /**
     * @param redactor learns the request's task token, so that no later log line shows it
     * @param pid      this process, written into the worker lock for disable to find
     * @param lockWait how long to wait for a previous backup ({@link #LOCK_WAIT}; tests pass milliseconds)
     */
    public WorkerCommand(AgentFileAccess agentFiles, SettingsReader settingsReader, SettingsScrubber scrubber,
                         FailedTaskReporter failedTasks, InterruptedBackups interrupted, ReportedBackupJob backupJob,
                         Path workerLockFile, ShutdownHooks shutdownHooks, LogHold logHold, Redactor redactor, long pid,
                         PrintStream out, Duration lockWait) {
        this.agentFiles = Objects.requireNonNull(agentFiles, "agentFiles");
        this.settingsReader = Objects.requireNonNull(settingsReader, "settingsReader");
        this.scrubber = Objects.requireNonNull(scrubber, "scrubber");
        this.failedTasks = Objects.requireNonNull(failedTasks, "failedTasks");
        this.interrupted = Objects.requireNonNull(interrupted, "interrupted");
        this.backupJob = Objects.requireNonNull(backupJob, "backupJob");
        this.workerLockFile = Objects.requireNonNull(workerLockFile, "workerLockFile");
        this.shutdownHooks = Objects.requireNonNull(shutdownHooks, "shutdownHooks");
        this.logHold = Objects.requireNonNull(logHold, "logHold");
        this.redactor = Objects.requireNonNull(redactor, "redactor");
        this.pid = pid;
        this.out = Objects.requireNonNull(out, "out");
        this.lockWait = Objects.requireNonNull(lockWait, "lockWait");
    }

    @Override
    public int run(List<String> arguments) throws HandlerException, IOException {
        if (arguments.size() != 1 || !arguments.get(0).matches("\\d{1,9}")) {
            out.println("usage: handle.sh worker <sequence number>");
            return ExitCodes.USAGE;
        }
        int seq = Integer.parseInt(arguments.get(0));
        // The stop hook goes in first: a disable that comes while we wait for the lock or read the
        // settings must still end in a status, not in a silent exit.
        Cancellation cancellation = new Cancellation();
        CountDownLatch finished = new CountDownLatch(1);
        shutdownHooks.add(() -> stopGracefully(cancellation, finished));
        try {
            return runStoppable(seq, cancellation);
        } finally {
            finished.countDown();
        }
    }

    private int runStoppable(int seq, Cancellation cancellation) throws HandlerException, IOException {
        AgentFiles files = agentFiles.open();
        long lockFrom = System.nanoTime();
        Optional<WorkerLock> lock = acquire(cancellation);
        if (lock.isEmpty()) {
            boolean stopped = cancellation.isCancelled();
            String detail = stopped ? "The backup was stopped while it waited for the previous one."
                    : "The previous backup did not finish within " + describe(lockWait) + ".";
            // The status first, in the default language: it is written even when the settings, which
            // name the task and its language, cannot be read.
            failedTasks.reportStatus(files.reporter(), new TaskFailure(seq, Operation.WORKER,
                    stopped ? ErrorCode.BACKUP_INTERRUPTED : ErrorCode.BACKUP_IN_PROGRESS, detail, "", null));
            rememberBusy(files, seq, detail);
            return ExitCodes.BUSY;
        }
        try (WorkerLock held = lock.get()) {
            return runLocked(files, seq, cancellation, millisSince(lockFrom));
        }
    }

    /** @param lockMillis how long taking the worker lock took, for the log */
    private int runLocked(AgentFiles files, int seq, Cancellation cancellation, long lockMillis) throws IOException {
        // A worker that died before reporting (kill -9, reboot) owes its post-scripts and a status.
        Optional<Integer> recovered = interrupted.recover(files.reporter());
        if (recovered.equals(Optional.of(seq)) || InterruptedBackups.alreadyReported(files.reporter(), seq)) {
            LOG.info("worker-nothing-to-do seq={} recovered={}", seq, recovered.orElse(-1));
            return ExitCodes.SUCCESS;
        }
        Path settingsFile = files.environment().configFolder().resolve(seq + ".settings");
        EncryptedHandlerSettings request = EncryptedHandlerSettings.NONE;
        HandlerSettings settings;
        long readFrom = System.nanoTime();
        try {
            request = settingsReader.readPublic(settingsFile);
            RequestValidator.validate(request, settingsFile);
            // Enable left the protected settings encrypted: their problems are reported here.
            settings = settingsReader.decrypt(request);
        } catch (HandlerException e) {
            LOG.warn("worker-settings-rejected seq={} code={} detail={}", seq, e.errorCode().upstreamName(),
                    e.detail());
            // The task record too, finished with the code: a repeat of the request reports it.
            failedTasks.publish(files.reporter(), new TaskFailure(seq, Operation.WORKER, e.errorCode(), e.detail(),
                    request.publicSettings().taskId(), request.publicSettings().locale()));
            return ExitCodes.SETTINGS_INVALID;
        } finally {
            scrubber.stripProtectedSettingsOrWarn(settingsFile);
        }
        // The task token is the one secret of the settings no pattern recognises in a log line.
        redactor.addSecret(settings.snapshotTaskToken());
        Messages messages = Messages.forLocale(settings.publicSettings().locale());
        // The durations are what scripts/bench-backup.sh breaks the worker's start down by.
        LOG.info("backup-start seq={} taskId={} lockMs={} settingsMs={}", seq, settings.publicSettings().taskId(),
                lockMillis, millisSince(readFrom));
        BackupOutcome outcome;
        String running = "Backup running for sequence number " + seq;
        try (HeartbeatKeeper keeper = HeartbeatKeeper.start(
                () -> files.reporter().heartbeat(true, messages.languageTag(), running), logHold)) {
            // Runs, journals and reports the backup: status blob, logs blob, <seq>.status, task record.
            outcome = backupJob.run(new BackupRequest(seq, settings, files.environment(), messages), cancellation);
        }
        files.reporter().heartbeat(true, messages.languageTag(), "Idle; last backup: " + outcome.code().displayName());
        LOG.info("backup-end seq={} status={} code={}", seq, outcome.status(), outcome.code().upstreamName());
        return ExitCodes.SUCCESS;
    }

    /**
     * A busy worker never runs its request: its settings lose their protected part like any other,
     * and its task is recorded as failed, so that a repeat of it is not told "being processed".
     */
    private void rememberBusy(AgentFiles files, int seq, String detail) throws IOException {
        Path settingsFile = files.environment().configFolder().resolve(seq + ".settings");
        try {
            EncryptedHandlerSettings settings = settingsReader.readPublic(settingsFile);
            failedTasks.remember(new TaskFailure(seq, Operation.WORKER, ErrorCode.BACKUP_IN_PROGRESS, detail,
                    settings.publicSettings().taskId(), settings.publicSettings().locale()));
        } catch (HandlerException e) {
            LOG.warn("worker-busy-settings-unreadable seq={} code={}", seq, e.errorCode().upstreamName());
        } finally {
            scrubber.stripProtectedSettingsOrWarn(settingsFile);
        }
    }

    private static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }

    private static String describe(Duration wait) {
        return wait.toMinutes() > 0 ? wait.toMinutes() + " minutes" : wait.toMillis() + " ms";
    }

    private Optional<WorkerLock> acquire(Cancellation cancellation) throws IOException {
        long deadline = System.nanoTime() + lockWait.toNanos();
        boolean told = false;
        while (true) {
            Optional<WorkerLock> lock = WorkerLock.tryAcquire(workerLockFile, pid);
            if (lock.isPresent() || System.nanoTime() > deadline || cancellation.isCancelled()) {
                return lock;
            }
            if (!told) {
                LOG.info("worker-waiting-for-previous-backup maxWaitSeconds={}", lockWait.toSeconds());
                told = true;
            }
            try {
                Thread.sleep(LOCK_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    private static void stopGracefully(Cancellation cancellation, CountDownLatch finished) {
        if (finished.getCount() == 0) {
            return; // the JVM exits after a finished backup: nothing to stop
        }
        LOG.warn("worker-stop-requested action=finish-thaw-and-post-scripts");
        cancellation.cancel();
        try {
            if (!finished.await(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.error("worker-stop-grace-expired");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

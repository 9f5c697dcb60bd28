package io.vmsnapshot.lifecycle;

import io.vmsnapshot.agent.Operation;
import io.vmsnapshot.journal.InterruptedBackups;
import io.vmsnapshot.report.AgentFiles;
import io.vmsnapshot.report.TaskRecord;
import io.vmsnapshot.report.TaskRegistry;
import io.vmsnapshot.worker.HeartbeatKeeper;
import io.vmsnapshot.worker.WorkerLock;
import io.vmsnapshot.report.BackupOutcome;
import io.vmsnapshot.backup.BackupRequest;
import io.vmsnapshot.backup.Cancellation;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.settings.HandlerSettings;
import io.vmsnapshot.settings.SettingsReader;
import io.vmsnapshot.settings.SettingsScrubber;
import io.vmsnapshot.status.StatusType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detached worker: one backup under the worker lock, ending in a final status — also when it
 * is told to stop, in which case the backup still thaws and runs the post-scripts first.
 */
final class WorkerCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerCommand.class);
    /** A second enable waits this long for the first backup before reporting "busy". */
    static final Duration LOCK_WAIT = Duration.ofMinutes(5);
    private static final Duration LOCK_POLL = Duration.ofMillis(100);
    /** How long a stop request waits for thaw and post-scripts; every step inside is bounded. */
    private static final Duration STOP_GRACE = Duration.ofMinutes(10);

    private final Duration lockWait;

    WorkerCommand() {
        this(LOCK_WAIT);
    }

    /** @param lockWait how long to wait for a previous backup; tests pass milliseconds */
    WorkerCommand(Duration lockWait) {
        this.lockWait = lockWait;
    }

    @Override
    public int run(HandlerContext context, List<String> arguments) throws HandlerException, IOException {
        if (arguments.size() != 1 || !arguments.get(0).matches("\\d{1,9}")) {
            context.out().println("usage: handle.sh worker <sequence number>");
            return ExitCodes.USAGE;
        }
        int seq = Integer.parseInt(arguments.get(0));
        // The stop hook goes in first: a disable that comes while we wait for the lock or read the
        // settings must still end in a status, not in a silent exit.
        Cancellation cancellation = new Cancellation();
        CountDownLatch finished = new CountDownLatch(1);
        context.shutdownHooks().add(() -> stopGracefully(cancellation, finished));
        try {
            return runStoppable(context, seq, cancellation);
        } finally {
            finished.countDown();
        }
    }

    private int runStoppable(HandlerContext context, int seq, Cancellation cancellation)
            throws HandlerException, IOException {
        AgentFiles files = AgentFiles.open(context.paths(), context.clock());
        Optional<WorkerLock> lock = acquire(context, cancellation);
        if (lock.isEmpty()) {
            boolean stopped = cancellation.isCancelled();
            String detail = stopped ? "The backup was stopped while it waited for the previous one."
                    : "The previous backup did not finish within " + describe(lockWait) + ".";
            files.reporter().report(seq, Operation.WORKER, StatusType.ERROR,
                    stopped ? ErrorCode.BACKUP_INTERRUPTED : ErrorCode.BACKUP_IN_PROGRESS, Messages.forLocale(null), detail);
            rememberBusy(context, files, seq, detail);
            return ExitCodes.BUSY;
        }
        try (WorkerLock held = lock.get()) {
            return runLocked(context, files, seq, cancellation);
        }
    }

    private int runLocked(HandlerContext context, AgentFiles files, int seq, Cancellation cancellation)
            throws IOException {
        // A worker that died before reporting (kill -9, reboot) owes its post-scripts and a status.
        Optional<Integer> recovered = InterruptedBackups.recover(context, files);
        if (recovered.equals(Optional.of(seq)) || InterruptedBackups.alreadyReported(files, seq)) {
            LOG.info("worker-nothing-to-do seq={} recovered={}", seq, recovered.orElse(-1));
            return ExitCodes.SUCCESS;
        }
        Path settingsFile = files.environment().configFolder().resolve(seq + ".settings");
        HandlerSettings settings;
        try {
            settings = new SettingsReader(context.paths().agentDir()).read(settingsFile);
            RequestValidator.validate(settings, settingsFile);
        } catch (HandlerException e) {
            LOG.warn("worker-settings-rejected seq={} code={} detail={}", seq, e.errorCode().upstreamName(),
                    e.detail());
            files.reporter().report(seq, Operation.WORKER, StatusType.ERROR, e.errorCode(),
                    Messages.forLocale(null), e.detail());
            return ExitCodes.SETTINGS_INVALID;
        } finally {
            new SettingsScrubber().stripProtectedSettingsOrWarn(settingsFile);
        }
        // The task token is the one secret of the settings no pattern recognises in a log line.
        context.redactor().addSecret(settings.snapshotTaskToken());
        Messages messages = Messages.forLocale(settings.publicSettings().locale());
        LOG.info("backup-start seq={} taskId={}", seq, settings.publicSettings().taskId());
        BackupOutcome outcome;
        try (HeartbeatKeeper keeper = HeartbeatKeeper.start(files.reporter(), context.logHold(), messages.languageTag(),
                "Backup running for sequence number " + seq)) {
            outcome = context.backupJob().run(new BackupRequest(seq, settings, files.environment(), messages),
                    cancellation);
        }
        files.reporter().write(seq, outcome.fileStatus());
        context.recovery().done();
        remember(context, settings, seq, outcome);
        files.reporter().heartbeat(true, messages.languageTag(), "Idle; last backup: " + outcome.code().displayName());
        LOG.info("backup-end seq={} status={} code={}", seq, outcome.status(), outcome.code().upstreamName());
        return ExitCodes.SUCCESS;
    }

    private static void remember(HandlerContext context, HandlerSettings settings, int seq, BackupOutcome outcome)
            throws IOException {
        if (settings.publicSettings().taskId().isEmpty()) {
            return;
        }
        new TaskRegistry(context.paths().taskRegistryFile()).put(new TaskRecord(settings.publicSettings().taskId(), seq,
                outcome.status(), outcome.code().code(), outcome.message(), settings.publicSettings().locale(), context.clock().millis()));
    }

    /**
     * A busy worker never runs its request: its settings lose their protected part like any other,
     * and its task is recorded as failed, so that a repeat of it is not told "being processed".
     */
    private static void rememberBusy(HandlerContext context, AgentFiles files, int seq, String detail)
            throws IOException {
        Path settingsFile = files.environment().configFolder().resolve(seq + ".settings");
        try {
            HandlerSettings settings = new SettingsReader(context.paths().agentDir()).read(settingsFile);
            String taskId = settings.publicSettings().taskId();
            if (!taskId.isEmpty()) {
                Messages messages = Messages.forLocale(settings.publicSettings().locale());
                new TaskRegistry(context.paths().taskRegistryFile()).put(TaskRecord.failed(taskId, seq,
                        ErrorCode.BACKUP_IN_PROGRESS, messages, detail, settings.publicSettings().locale(),
                        context.clock().millis()));
            }
        } catch (HandlerException e) {
            LOG.warn("worker-busy-settings-unreadable seq={} code={}", seq, e.errorCode().upstreamName());
        } finally {
            new SettingsScrubber().stripProtectedSettingsOrWarn(settingsFile);
        }
    }

    private static String describe(Duration wait) {
        return wait.toMinutes() > 0 ? wait.toMinutes() + " minutes" : wait.toMillis() + " ms";
    }

    private Optional<WorkerLock> acquire(HandlerContext context, Cancellation cancellation) throws IOException {
        long deadline = System.nanoTime() + lockWait.toNanos();
        boolean told = false;
        while (true) {
            Optional<WorkerLock> lock = WorkerLock.tryAcquire(context.paths().workerLockFile(), context.pid());
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

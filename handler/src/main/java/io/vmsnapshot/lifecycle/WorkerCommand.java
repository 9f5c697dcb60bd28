package io.vmsnapshot.lifecycle;

import io.vmsnapshot.backup.BackupOutcome;
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

    @Override
    public int run(HandlerContext context, List<String> arguments) throws HandlerException, IOException {
        if (arguments.size() != 1 || !arguments.get(0).matches("\\d{1,9}")) {
            context.out().println("usage: handle.sh worker <sequence number>");
            return ExitCodes.USAGE;
        }
        int seq = Integer.parseInt(arguments.get(0));
        AgentFiles files = AgentFiles.open(context.paths(), context.clock());
        Optional<WorkerLock> lock = acquire(context);
        if (lock.isEmpty()) {
            files.reporter().report(seq, Operation.WORKER, StatusType.ERROR, ErrorCode.BACKUP_IN_PROGRESS,
                    Messages.forLocale(null), "The previous backup did not finish within "
                            + LOCK_WAIT.toMinutes() + " minutes.");
            return ExitCodes.BUSY;
        }
        try (WorkerLock held = lock.get()) {
            return runLocked(context, files, seq);
        }
    }

    private int runLocked(HandlerContext context, AgentFiles files, int seq) throws IOException {
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
            new SettingsScrubber().stripProtectedSettings(settingsFile);
        }
        Messages messages = Messages.forLocale(settings.publicSettings().locale());
        Cancellation cancellation = new Cancellation();
        CountDownLatch finished = new CountDownLatch(1);
        context.shutdownHooks().add(() -> stopGracefully(cancellation, finished));
        try {
            files.reporter().heartbeat(true, messages.languageTag(), "Backup running for sequence number " + seq);
            LOG.info("backup-start seq={} taskId={}", seq, settings.publicSettings().taskId());
            BackupOutcome outcome = context.backupJob().run(
                    new BackupRequest(seq, settings, files.environment(), messages), cancellation);
            files.reporter().write(seq, outcome.fileStatus());
            remember(context, settings, seq, outcome);
            files.reporter().heartbeat(true, messages.languageTag(), "Idle; last backup: " + outcome.code().displayName());
            LOG.info("backup-end seq={} status={} code={}", seq, outcome.status(), outcome.code().upstreamName());
            return ExitCodes.SUCCESS;
        } finally {
            finished.countDown();
        }
    }

    private static void remember(HandlerContext context, HandlerSettings settings, int seq, BackupOutcome outcome)
            throws IOException {
        if (settings.publicSettings().taskId().isEmpty()) {
            return;
        }
        new TaskRegistry(context.paths().taskRegistryFile()).put(new TaskRecord(settings.publicSettings().taskId(), seq,
                outcome.status(), outcome.code().code(), outcome.message(), settings.publicSettings().locale(), context.clock().millis()));
    }

    private static Optional<WorkerLock> acquire(HandlerContext context) throws IOException {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        boolean told = false;
        while (true) {
            Optional<WorkerLock> lock = WorkerLock.tryAcquire(context.paths().workerLockFile(), context.pid());
            if (lock.isPresent() || System.nanoTime() > deadline) {
                return lock;
            }
            if (!told) {
                LOG.info("worker-waiting-for-previous-backup maxWaitSeconds={}", LOCK_WAIT.toSeconds());
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
            return; // the JVM is exiting after the backup: nothing to stop
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

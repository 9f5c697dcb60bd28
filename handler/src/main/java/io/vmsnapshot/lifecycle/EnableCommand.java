package io.vmsnapshot.lifecycle;

import io.vmsnapshot.agent.Operation;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.journal.InterruptedBackups;
import io.vmsnapshot.report.AgentFileAccess;
import io.vmsnapshot.report.AgentFiles;
import io.vmsnapshot.report.FailedTaskReporter;
import io.vmsnapshot.report.StatusReporter;
import io.vmsnapshot.report.TaskFailure;
import io.vmsnapshot.report.TaskRecord;
import io.vmsnapshot.report.TaskRegistry;
import io.vmsnapshot.seqno.SequenceNumberResolver;
import io.vmsnapshot.seqno.SequenceNumberStore;
import io.vmsnapshot.settings.EncryptedHandlerSettings;
import io.vmsnapshot.settings.SettingsReader;
import io.vmsnapshot.settings.SettingsScrubber;
import io.vmsnapshot.status.StatusType;
import io.vmsnapshot.worker.WorkerLauncher;
import io.vmsnapshot.worker.WorkerLock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's enable: validate the request, dedupe it, report {@code transitioning}, hand the
 * backup to a detached worker and return at once — the agent runs extensions one after another,
 * so a slow enable delays every other extension on the VM. It reads only the public settings: the
 * protected ones stay encrypted for the worker, which reports any problem with them.
 */
public final class EnableCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(EnableCommand.class);

    private final AgentFileAccess agentFiles;
    private final SequenceNumberResolver sequenceNumbers;
    private final SequenceNumberStore mostRecent;
    private final SettingsReader settingsReader;
    private final SettingsScrubber scrubber;
    private final TaskRegistry tasks;
    private final FailedTaskReporter failedTasks;
    private final Path workerLockFile;
    private final WorkerLauncher workerLauncher;
    private final InterruptedBackups interrupted;
    private final Map<String, String> env;
    private final Clock clock;

    /** @param env the agent's environment, for the sequence number when HandlerEnvironment.json is broken */
    public EnableCommand(AgentFileAccess agentFiles, SequenceNumberResolver sequenceNumbers,
                         SequenceNumberStore mostRecent, SettingsReader settingsReader, SettingsScrubber scrubber,
                         TaskRegistry tasks, FailedTaskReporter failedTasks, Path workerLockFile, WorkerLauncher workerLauncher,
                         InterruptedBackups interrupted, Map<String, String> env, Clock clock) {
        this.agentFiles = Objects.requireNonNull(agentFiles, "agentFiles");
        this.sequenceNumbers = Objects.requireNonNull(sequenceNumbers, "sequenceNumbers");
        this.mostRecent = Objects.requireNonNull(mostRecent, "mostRecent");
        this.settingsReader = Objects.requireNonNull(settingsReader, "settingsReader");
        this.scrubber = Objects.requireNonNull(scrubber, "scrubber");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.failedTasks = Objects.requireNonNull(failedTasks, "failedTasks");
        this.workerLockFile = Objects.requireNonNull(workerLockFile, "workerLockFile");
        this.workerLauncher = Objects.requireNonNull(workerLauncher, "workerLauncher");
        this.interrupted = Objects.requireNonNull(interrupted, "interrupted");
        this.env = Map.copyOf(env);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public int run(List<String> arguments) throws HandlerException, IOException {
        AgentFiles files;
        try {
            files = agentFiles.open();
        } catch (HandlerException e) {
            return reportWithoutEnvironment(e);
        }
        interrupted.startRecoveryIfNeeded();
        Path configFolder = files.environment().configFolder();
        int seq;
        try {
            seq = sequenceNumbers.resolve(configFolder);
        } catch (HandlerException e) {
            files.reporter().report(0, Operation.ENABLE, StatusType.ERROR, e.errorCode(),
                    Messages.forLocale(null), e.detail());
            return ExitCodes.SETTINGS_INVALID;
        }
        Path settingsFile = configFolder.resolve(seq + ".settings");
        if (mostRecent.read().equals(OptionalInt.of(seq))) {
            if (workerStillToRead(settingsFile, seq)) {
                LOG.info("enable-same-sequence-number seq={} action=none settings=left-to-the-worker", seq);
                return ExitCodes.SUCCESS;
            }
            LOG.info("enable-same-sequence-number seq={} action=none", seq);
            scrubber.stripProtectedSettingsOrWarn(settingsFile);
            return ExitCodes.SUCCESS;
        }
        Messages messages = Messages.forLocale(null);
        try {
            long readFrom = clock.millis();
            // Not decrypted: nothing enable decides depends on the protected settings, and the worker,
            // which needs them, decrypts them and reports what is wrong with them.
            EncryptedHandlerSettings settings = settingsReader.readPublic(settingsFile);
            messages = Messages.forLocale(settings.publicSettings().locale());
            RequestValidator.validate(settings, settingsFile);
            int exitCode = accept(files, seq, settings, messages, settingsFile, clock.millis() - readFrom);
            // Only once the request is handed off: the agent kills enable at its timeout wherever it
            // is, and a sequence number marked done before its worker started was never run at all.
            mostRecent.write(seq);
            return exitCode;
        } catch (HandlerException e) {
            LOG.warn("enable-rejected seq={} code={} detail={}", seq, e.errorCode().upstreamName(), e.detail());
            mostRecent.write(seq);
            scrubber.stripProtectedSettingsOrWarn(settingsFile);
            files.reporter().report(seq, Operation.ENABLE, StatusType.ERROR, e.errorCode(), messages, e.detail());
            return ExitCodes.SETTINGS_INVALID;
        }
    }

    /** @param settingsMillis how long reading the settings took, for the log */
    private int accept(AgentFiles files, int seq, EncryptedHandlerSettings settings, Messages messages,
                       Path settingsFile, long settingsMillis) throws IOException, HandlerException {
        if (RequestValidator.isInstallRequest(settings)) {
            scrubber.stripProtectedSettingsOrWarn(settingsFile);
            files.reporter().report(seq, Operation.ENABLE, StatusType.SUCCESS, ErrorCode.SUCCESS, messages,
                    "Install Succeeded.");
            return ExitCodes.SUCCESS;
        }
        RequestValidator.requireTaskId(settings, settingsFile);
        String taskId = settings.publicSettings().taskId();
        Optional<TaskRecord> earlier = taskId.isEmpty() ? Optional.empty() : tasks.find(taskId);
        if (earlier.isPresent() && !earlier.get().finished() && earlier.get().sequenceNumber() == seq
                && WorkerLock.holder(workerLockFile).isEmpty()) {
            // The same request again and no backup running: the enable that recorded it was killed
            // before its worker started. Start it now (a second worker for a reported seq exits).
            LOG.warn("enable-restarts-unstarted-worker seq={} taskId={}", seq, taskId);
            workerLauncher.launch(seq);
            return ExitCodes.SUCCESS;
        }
        if (earlier.isPresent()) {
            scrubber.stripProtectedSettingsOrWarn(settingsFile);
            reportEarlierOutcome(files, seq, earlier.get(), messages);
            return ExitCodes.SUCCESS;
        }
        long statusFrom = clock.millis();
        files.reporter().report(seq, Operation.ENABLE, StatusType.TRANSITIONING, ErrorCode.TRANSITIONING,
                messages, null);
        if (!taskId.isEmpty()) {
            tasks.put(new TaskRecord(taskId, seq, StatusType.TRANSITIONING, ErrorCode.TRANSITIONING.code(),
                    messages.message(ErrorCode.TRANSITIONING), messages.languageTag(), clock.millis()));
        }
        long launchFrom = clock.millis();
        try {
            workerLauncher.launch(seq);
        } catch (IOException e) {
            // Recorded before the launch (the worker may finish before we could record it after);
            // without a worker the task must not stay "being processed" for every repeat of it. Only
            // the record: Handler reports the rethrown failure in <seq>.status, as for any crash.
            failedTasks.remember(new TaskFailure(seq, Operation.ENABLE, ErrorCode.SYSTEM_ERROR,
                    "The backup worker could not be started: " + e, taskId, messages.languageTag()));
            throw e;
        }
        // The durations are what scripts/bench-backup.sh breaks enable's time down by.
        LOG.info("enable-accepted seq={} taskId={} worker=started settingsMs={} statusMs={} launchMs={}", seq, taskId,
                settingsMillis, launchFrom - statusFrom, clock.millis() - launchFrom);
        return ExitCodes.SUCCESS;
    }

    /**
     * Whether this sequence number's request was accepted and its worker has not finished: the agent
     * may run enable again while the worker's JVM still starts, and the protected settings are the
     * worker's to read (it scrubs them itself, whatever happens).
     */
    private boolean workerStillToRead(Path settingsFile, int seq) {
        String taskId;
        try {
            taskId = settingsReader.readPublic(settingsFile).publicSettings().taskId();
        } catch (HandlerException e) {
            return false; // nothing was accepted from a file whose public settings are unreadable
        }
        Optional<TaskRecord> record = taskId.isEmpty() ? Optional.empty() : tasks.find(taskId);
        return record.isPresent() && !record.get().finished() && record.get().sequenceNumber() == seq;
    }

    /** Never silence for a repeated task: the earlier outcome, or "already processed" while it runs. */
    private static void reportEarlierOutcome(AgentFiles files, int seq, TaskRecord earlier, Messages messages)
            throws IOException {
        LOG.info("enable-task-already-processed seq={} taskId={} earlierSeq={} earlierCode={}", seq,
                earlier.taskId(), earlier.sequenceNumber(), earlier.code());
        if (earlier.finished()) {
            files.reporter().write(seq, files.reporter().reportOf(Operation.ENABLE, earlier, messages.languageTag()));
        } else {
            files.reporter().report(seq, Operation.ENABLE, StatusType.SUCCESS,
                    ErrorCode.SUCCESS_ALREADY_PROCESSED_INPUT, messages,
                    "Task " + earlier.taskId() + " is being processed for sequence number "
                            + earlier.sequenceNumber() + ".");
        }
    }

    private int reportWithoutEnvironment(HandlerException e) {
        LOG.error("enable-no-handler-environment detail={}", e.detail());
        int seq = parseSequence(env.get("ConfigSequenceNumber"));
        StatusReporter fallback = agentFiles.fallbackReporter();
        try {
            fallback.report(seq, Operation.ENABLE,
                    StatusType.ERROR, e.errorCode(), Messages.forLocale(null), e.detail());
        } catch (IOException io) {
            LOG.error("status-write-failed folder={} error={}", agentFiles.fallbackStatusFolder(), io.toString());
        }
        return ExitCodes.ENVIRONMENT_INVALID;
    }

    private static int parseSequence(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

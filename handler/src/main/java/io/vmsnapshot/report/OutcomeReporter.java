package io.vmsnapshot.report;

import io.vmsnapshot.backup.BackupRequest;
import io.vmsnapshot.backup.BackupResult;
import io.vmsnapshot.backup.BackupVerdict;
import io.vmsnapshot.backup.Consistency;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.freeze.UsedSize;
import io.vmsnapshot.settings.HandlerSettings;
import io.vmsnapshot.snapshot.SnapshotInfo;
import io.vmsnapshot.status.StatusFileWriter;
import io.vmsnapshot.status.StatusType;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says how a backup ended everywhere it is read: the status blob and the logs blob (SAS URIs from
 * the settings, read by the Azure Backup service), {@code <seq>.status} (read by the agent) and the
 * task record (read by a repeated enable and by {@code handle.sh status}). Each destination is its
 * own step, because the journal marks the moments between them ({@code JournaledBackupJob}). A
 * failed upload never fails the backup; it is noted in the telemetry.
 */
public final class OutcomeReporter {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeReporter.class);

    private final BlobUploader uploader;
    private final TaskRegistry tasks;
    private final Supplier<List<String>> logLines;
    private final String uniqueMachineId;
    private final String version;
    private final Clock clock;
    private final BooleanSupplier blobUploads;
    private final UsedSizeProbe usedSize;

    /** Without sizes: every status says nothing was measured. */
    public OutcomeReporter(BlobUploader uploader, TaskRegistry tasks, Supplier<List<String>> logLines,
                           String uniqueMachineId, String version, Clock clock) {
        this(uploader, tasks, logLines, uniqueMachineId, version, clock, () -> true);
    }

    /**
     * @param blobUploads false when the customer turned the status and logs blobs off (vmbackup.conf's
     *                    {@code UploadStatusAndLog = False}, which upstream honoured); asked at each upload
     */
    public OutcomeReporter(BlobUploader uploader, TaskRegistry tasks, Supplier<List<String>> logLines,
                           String uniqueMachineId, String version, Clock clock, BooleanSupplier blobUploads) {
        this(uploader, tasks, logLines, uniqueMachineId, version, clock, blobUploads, UsedSizeProbe.UNKNOWN);
    }

    /**
     * @param logLines    every line this process logged, for the logs blob
     * @param blobUploads as above
     * @param usedSize    measured once, for the final report
     */
    public OutcomeReporter(BlobUploader uploader, TaskRegistry tasks, Supplier<List<String>> logLines,
                           String uniqueMachineId, String version, Clock clock, BooleanSupplier blobUploads,
                           UsedSizeProbe usedSize) {
        this.blobUploads = Objects.requireNonNull(blobUploads, "blobUploads");
        this.usedSize = Objects.requireNonNull(usedSize, "usedSize");
        this.uploader = Objects.requireNonNull(uploader, "uploader");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.logLines = Objects.requireNonNull(logLines, "logLines");
        this.uniqueMachineId = Objects.requireNonNull(uniqueMachineId, "uniqueMachineId");
        this.version = Objects.requireNonNull(version, "version");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Upstream tells the service "transitioning" through the status blob before any script runs. */
    public void transitioning(BackupRequest request) {
        Messages messages = request.messages();
        BackupReport report = report(request, StatusType.TRANSITIONING, ErrorCode.TRANSITIONING.code(),
                messages.message(ErrorCode.TRANSITIONING), Consistency.NONE, ErrorCode.TRANSITIONING, null, 0,
                Optional.empty(), UsedSize.UNKNOWN);
        upload(request.settings().statusBlobUri(), documents(request).blobDocument(report), "status");
    }

    /**
     * The status blob, then the logs blob (its last lines say how the status upload went).
     *
     * @return the outcome, with the file document the agent will read
     */
    public BackupOutcome upload(BackupRequest request, BackupResult result) {
        StatusDocuments documents = documents(request);
        BackupVerdict verdict = result.verdict();
        String message = OutcomeMessage.of(verdict, result.detail(), result.warnings(), request.messages());
        BackupTelemetry telemetry = BackupTelemetry.of(result, version);
        UsedSize used = usedSize.measure(request);
        BackupReport report = report(request, verdict, message, result, telemetry, used);
        String blobDocument = documents.blobDocument(report);
        if (!upload(request.settings().statusBlobUri(), blobDocument, "status")) {
            report = report(request, verdict, message, result, telemetry.withStatusBlobUploadError(), used);
            blobDocument = documents.blobDocument(report);
        }
        upload(request.settings().logsBlobUri(), String.join("\n", logLines.get()) + "\n", "logs");
        return new BackupOutcome(verdict.status(), verdict.code(), message, documents.fileDocument(report, blobDocument));
    }

    /** {@code <seq>.status} in the agent's status folder. */
    public void writeStatusFile(BackupRequest request, BackupOutcome outcome) throws IOException {
        new StatusFileWriter(request.environment().statusFolder()).write(request.sequenceNumber(), outcome.fileStatus());
    }

    /** The task record, so that a repeat of the task is told this outcome. */
    public void rememberTask(BackupRequest request, BackupOutcome outcome) throws IOException {
        String taskId = request.settings().publicSettings().taskId();
        if (taskId.isEmpty()) {
            return;
        }
        tasks.put(new TaskRecord(taskId, request.sequenceNumber(), outcome.status(), outcome.code().code(),
                outcome.message(), request.settings().publicSettings().locale(), clock.millis()));
    }

    private StatusDocuments documents(BackupRequest request) {
        return new StatusDocuments(request.environment().name(), version, clock);
    }

    private BackupReport report(BackupRequest request, BackupVerdict verdict, String message, BackupResult result,
                                BackupTelemetry telemetry, UsedSize used) {
        return report(request, verdict.status(), verdict.code().code(), message, verdict.consistency(),
                verdict.healthCode(), result.window().disks(), result.window().partitionCount(), Optional.of(telemetry),
                used);
    }

    private BackupReport report(BackupRequest request, StatusType status, int code, String message,
                                Consistency consistency, ErrorCode health, List<SnapshotInfo> disks,
                                int partitions, Optional<BackupTelemetry> telemetry, UsedSize used) {
        HandlerSettings settings = request.settings();
        String ticks = settings.publicSettings().commandStartTimeUTCTicks().map(String::valueOf).orElse("");
        return new BackupReport(status, code, message, consistency, health.code(), health.health().state(),
                settings.publicSettings().taskId(), ticks, disks, telemetry, uniqueMachineId, partitions,
                request.messages().languageTag(), settings.publicSettings().vmType(), used);
    }

    /** @return false only when there was somewhere to upload to and it failed */
    private boolean upload(String sasUri, String text, String what) {
        if (sasUri == null || sasUri.isBlank()) {
            return true;
        }
        if (!blobUploads.getAsBoolean()) {
            LOG.info("blob-upload-skipped document={} reason=UploadStatusAndLog", what);
            return true;
        }
        Optional<String> problem = uploader.upload(sasUri, text);
        problem.ifPresent(p -> LOG.warn("blob-upload-failed document={} problem={}", what, p));
        return problem.isEmpty();
    }
}

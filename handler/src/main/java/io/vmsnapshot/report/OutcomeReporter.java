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
import java.util.Map;
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
    /** The telemetry key of the storage calls' proxy ({@code direct} without one). */
    public static final String STORAGE_PROXY = "storageProxy";

    private final BlobUploader uploader;
    private final TaskRegistry tasks;
    private final Supplier<List<String>> logLines;
    private final String uniqueMachineId;
    private final String version;
    private final Clock clock;
    private final BooleanSupplier blobUploads;
    private final Supplier<Map<String, String>> connection;
    private final UsedSizeProbe usedSize;

    /** Without sizes: every status says nothing was measured. */
    public OutcomeReporter(BlobUploader uploader, TaskRegistry tasks, Supplier<List<String>> logLines,
                           String uniqueMachineId, String version, Clock clock) {
        this(uploader, tasks, logLines, uniqueMachineId, version, clock, () -> true);
    }

    public OutcomeReporter(BlobUploader uploader, TaskRegistry tasks, Supplier<List<String>> logLines,
                           String uniqueMachineId, String version, Clock clock, BooleanSupplier blobUploads) {
        this(uploader, tasks, logLines, uniqueMachineId, version, clock, blobUploads, Map::of);
    }

    /**
     * @param blobUploads false when the customer turned the status and logs blobs off (vmbackup.conf's
     *                    {@code UploadStatusAndLog = False}, which upstream honoured); asked at each upload
     * @param connection  telemetry entries saying how the storage calls went out (proxy, CA store),
     *                    read when the final status is written: the CA store is only known once a TLS call ran
     */
    public OutcomeReporter(BlobUploader uploader, TaskRegistry tasks, Supplier<List<String>> logLines,
                           String uniqueMachineId, String version, Clock clock, BooleanSupplier blobUploads,
                           Supplier<Map<String, String>> connection) {
        this(uploader, tasks, logLines, uniqueMachineId, version, clock, blobUploads, connection,
                UsedSizeProbe.UNKNOWN);
    }

    /**
     * @param usedSize measured once, for the final report's {@code storageDetails}
     */
    public OutcomeReporter(BlobUploader uploader, TaskRegistry tasks, Supplier<List<String>> logLines,
                           String uniqueMachineId, String version, Clock clock, BooleanSupplier blobUploads,
                           Supplier<Map<String, String>> connection, UsedSizeProbe usedSize) {
        this.blobUploads = Objects.requireNonNull(blobUploads, "blobUploads");
        this.connection = Objects.requireNonNull(connection, "connection");
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
        Map<String, String> route = connection.get();
        String message = OutcomeMessage.of(verdict, withProxy(verdict, result.detail(), route.get(STORAGE_PROXY)),
                result.warnings(), request.messages());
        BackupTelemetry telemetry = BackupTelemetry.of(result, version, route);
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

    /**
     * When storage could not be reached, the operator's first question is by which way: a failure
     * behind a proxy names it (never its credentials: the description has none).
     */
    private static String withProxy(BackupVerdict verdict, String detail, String proxy) {
        if (verdict.code() != ErrorCode.SNAPSHOT_FAILED_NO_NETWORK || proxy == null || proxy.equals("direct")) {
            return detail;
        }
        String text = detail == null ? "" : detail.strip();
        String separator = text.isEmpty() ? "" : ".。!?".indexOf(text.charAt(text.length() - 1)) < 0 ? ". " : " ";
        return text + separator + "The storage calls went through the proxy: " + proxy;
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

package io.vmsnapshot.report;

import io.vmsnapshot.backup.BackupRequest;
import io.vmsnapshot.backup.BackupServices;
import io.vmsnapshot.backup.BackupVerdict;
import io.vmsnapshot.backup.Consistency;
import io.vmsnapshot.backup.FreezeSnapshotResult;
import io.vmsnapshot.backup.PhaseTimeline;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.settings.HandlerSettings;
import io.vmsnapshot.status.StatusReport;
import io.vmsnapshot.status.StatusType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a verdict into the status documents and sends them where the service reads them: the
 * status blob and the logs blob (SAS URIs from the settings) and, returned to the worker, the
 * file document the agent reads. A failed upload never fails the backup; it is noted in telemetry.
 */
public final class StatusPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);

    private final BackupServices services;

    public StatusPublisher(BackupServices services) {
        this.services = services;
    }

    /** Upstream tells the service "transitioning" through the status blob before any script runs. */
    public void transitioning(BackupRequest request) {
        Messages messages = request.messages();
        BackupReport report = report(request, StatusType.TRANSITIONING, ErrorCode.TRANSITIONING.code(),
                messages.message(ErrorCode.TRANSITIONING), Consistency.NONE, ErrorCode.TRANSITIONING, null, 0, Map.of());
        upload(request.settings().statusBlobUri(), services.documents().blobDocument(report), "status");
    }

    public BackupOutcome publish(BackupRequest request, BackupVerdict verdict, String detail, FreezeSnapshotResult window,
                          PhaseTimeline timeline, Map<String, String> extraTelemetry) {
        String message = OutcomeMessage.of(verdict, detail, request.messages());
        Map<String, String> telemetry = new LinkedHashMap<>(window.telemetry());
        telemetry.putAll(timeline.telemetry());
        telemetry.putAll(extraTelemetry);
        telemetry.put("consistencyType", verdict.consistency().telemetryName());
        telemetry.put("extErrorCode", verdict.healthCode().upstreamName());
        telemetry.put("extensionVersion", services.version());
        BackupReport report = report(request, verdict.status(), verdict.code().code(), message,
                verdict.consistency(), verdict.healthCode(), window.disks(), window.partitionCount(), telemetry);
        String blobDocument = services.documents().blobDocument(report);
        if (!upload(request.settings().statusBlobUri(), blobDocument, "status")) {
            telemetry.put("statusBlobUploadError", "true");
            report = report(request, verdict.status(), verdict.code().code(), message, verdict.consistency(),
                    verdict.healthCode(), window.disks(), window.partitionCount(), telemetry);
            blobDocument = services.documents().blobDocument(report);
        }
        upload(request.settings().logsBlobUri(), String.join("\n", services.logLines().get()) + "\n", "logs");
        StatusReport fileStatus = services.documents().fileDocument(report, blobDocument);
        return new BackupOutcome(verdict.status(), verdict.code(), message, fileStatus);
    }

    private BackupReport report(BackupRequest request, StatusType status, int code, String message,
                                Consistency consistency, ErrorCode health, List<io.vmsnapshot.snapshot.SnapshotInfo> disks,
                                int partitions, Map<String, String> telemetry) {
        HandlerSettings settings = request.settings();
        String ticks = settings.publicSettings().commandStartTimeUTCTicks().map(String::valueOf).orElse("");
        return new BackupReport(status, code, message, consistency, health.code(), health.health().state(),
                settings.publicSettings().taskId(), ticks, disks, telemetry, services.uniqueMachineId(), partitions,
                request.messages().languageTag(), settings.publicSettings().vmType());
    }

    /** @return false only when there was somewhere to upload to and it failed */
    private boolean upload(String sasUri, String text, String what) {
        if (sasUri == null || sasUri.isBlank()) {
            return true;
        }
        Optional<String> problem = services.uploader().upload(sasUri, text);
        problem.ifPresent(p -> LOG.warn("blob-upload-failed document={} problem={}", what, p));
        return problem.isEmpty();
    }
}

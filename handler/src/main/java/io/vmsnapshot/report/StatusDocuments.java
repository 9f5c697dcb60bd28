package io.vmsnapshot.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmsnapshot.json.JsonText;
import io.vmsnapshot.snapshot.SnapshotInfo;
import io.vmsnapshot.snapshot.SnapshotTelemetry;
import io.vmsnapshot.status.FormattedMessage;
import io.vmsnapshot.status.StatusReport;
import io.vmsnapshot.status.StatusType;
import io.vmsnapshot.status.Substatus;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The two documents of docs/backup-flow.md §3. The blob document (read by the Azure Backup service) keeps
 * upstream's shape exactly — string codes, {@code \/Date(ms)\/}, key order; the file document
 * (read by the agent) follows the agent's rules — int codes, lowercase status, formattedMessage
 * always present — and carries the blob document as its one substatus's name, as upstream.
 */
public final class StatusDocuments {
    private static final String ARM_VM_TYPE = "microsoft.compute/virtualmachines";

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final String handlerName;
    private final String version;
    private final Clock clock;

    public StatusDocuments(String handlerName, String version, Clock clock) {
        this.handlerName = Objects.requireNonNull(handlerName, "handlerName");
        this.version = Objects.requireNonNull(version, "version");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String blobDocument(BackupReport report) {
        ObjectNode status = json.objectNode();
        status.put("name", handlerName);
        status.put("operation", "Enable");
        // Upstream's blob only ever says success or error; the interim report is success with
        // code 4 (ExtensionTempTerminalState), docs/backup-flow.md §3.3.
        status.put("status", report.status() == StatusType.ERROR ? "error" : "success");
        status.putArray("substatus");
        status.put("code", Integer.toString(report.code()));
        status.put("taskId", report.taskId());
        ObjectNode formatted = status.putObject("formattedMessage");
        formatted.put("lang", report.lang());
        formatted.put("message", extensionResponse(report));
        ObjectNode storage = status.putObject("storageDetails");
        storage.put("partitionCount", report.partitionCount());
        storage.put("totalUsedSizeInBytes", report.usedSize().bytes());
        storage.put("isStoragespacePresent", false);
        storage.put("isSizeComputationFailed", report.usedSize().failed());
        status.put("commandStartTimeUTCTicks", report.commandStartTimeUTCTicks());
        ArrayNode telemetry = status.putArray("telemetryData");
        new TreeMap<>(report.telemetry().map(BackupTelemetry::entries).orElse(Map.of())).forEach((key, value) -> telemetry.addObject().put("Value", value).put("Key", key));
        status.put("uniqueMachineId", report.uniqueMachineId());
        if (report.snapshots() == null) {
            status.putNull("snapshotInfo");
        } else {
            ArrayNode infos = status.putArray("snapshotInfo");
            report.snapshots().forEach(disk -> infos.add(snapshotInfo(disk)));
        }
        ObjectNode health = status.putObject("vmHealthInfo");
        health.put("vmHealthState", report.healthState());
        health.put("vmHealthStatusCode", report.healthCode());
        ObjectNode document = json.objectNode();
        document.put("version", version);
        document.put("timestampUTC", "/Date(" + clock.millis() + ")/");
        document.set("status", status);
        return dotNetDates(write(json.arrayNode().add(document)));
    }

    /**
     * The agent-facing document. For ARM VMs a terminal status is reported as {@code success} at
     * the top (code and message keep the real values), as upstream: the service reads the real
     * outcome from the substatus, and CRP must not retry a backup that the service has judged.
     */
    public StatusReport fileDocument(BackupReport report, String blobDocument) {
        boolean terminal = report.status() == StatusType.SUCCESS || report.status() == StatusType.ERROR;
        boolean arm = report.vmType() != null && report.vmType().toLowerCase(Locale.ROOT).equals(ARM_VM_TYPE);
        StatusType top = terminal && arm ? StatusType.SUCCESS : report.status();
        FormattedMessage message = new FormattedMessage(report.lang(), report.message());
        Substatus carrier = new Substatus(blobDocument, StatusType.SUCCESS, 0, message);
        return new StatusReport(handlerName, "Enable", top, report.code(), message, List.of(carrier), clock.instant());
    }

    private String extensionResponse(BackupReport report) {
        StringBuilder messageStr = new StringBuilder(report.message());
        report.telemetry().ifPresent(telemetry -> {
            if (telemetry.statusBlobUploadError()) {
                messageStr.append(" statusBlobUploadError=true, ");
            }
            // Upstream repeats these three in the message, where the service's support tooling reads them.
            SnapshotTelemetry snapshot = telemetry.snapshot();
            snapshot.creator().ifPresent(c -> messageStr.append("snapshotCreator=").append(c.telemetryName()).append(", "));
            snapshot.hostStatusCodePreSnapshot().ifPresent(c -> messageStr.append("hostStatusCodePreSnapshot=").append(c)
                    .append(", "));
            snapshot.hostStatusCodeDoSnapshot().ifPresent(c -> messageStr.append("hostStatusCodeDoSnapshot=").append(c)
                    .append(", "));
        });
        ObjectNode response = json.objectNode();
        response.put("messageStr", messageStr.toString());
        response.put("snapshotConsistency", report.consistency().value());
        response.put("jobMessage", "");
        response.put("isSizeComputationFailed", report.usedSize().failed());
        return write(response);
    }

    private ObjectNode snapshotInfo(SnapshotInfo disk) {
        ObjectNode info = json.objectNode();
        info.put("isSuccessful", disk.isSuccessful());
        info.put("snapshotUri", disk.snapshotUri());
        info.put("errorMessage", disk.errorMessage());
        info.put("blobUri", disk.blobUri());
        if (disk.directDriveSnapshotIdentifier() == null) {
            info.putNull("directDriveSnapshotIdentifier");
        } else {
            ObjectNode id = info.putObject("directDriveSnapshotIdentifier");
            ObjectNode created = id.putObject("creationTime");
            var identifier = disk.directDriveSnapshotIdentifier();
            created.put("DateTime", "/Date(" + identifier.creationTime().toEpochMilli() + ")/");
            created.put("OffsetMinutes", 0);
            id.put("id", identifier.id());
            id.put("token", identifier.token());
            id.put("instantAccessDurationMinutes", identifier.instantAccessDurationMinutes());
        }
        return info;
    }

    private static String write(JsonNode node) {
        return JsonText.writeString(node);
    }

    /** .NET's DataContract serializer only parses dates written as "\/Date(ms)\/". */
    private static String dotNetDates(String text) {
        return text.replace("\"/Date(", "\"\\/Date(").replace(")/\"", ")\\/\"");
    }
}

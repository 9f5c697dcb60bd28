package io.vmsnapshot.report;

import io.vmsnapshot.backup.Consistency;
import io.vmsnapshot.freeze.UsedSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.snapshot.DirectDriveSnapshotIdentifier;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.snapshot.SnapshotCreator;
import io.vmsnapshot.snapshot.SnapshotInfo;
import io.vmsnapshot.snapshot.SnapshotTelemetry;
import io.vmsnapshot.status.StatusFileWriter;
import io.vmsnapshot.status.StatusReport;
import io.vmsnapshot.status.StatusType;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class StatusDocumentsTest {
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final String ARM = "Microsoft.Compute/virtualMachines";
    private final ObjectMapper json = new ObjectMapper();
    private final StatusDocuments documents = new StatusDocuments("Microsoft.Azure.RecoveryServices.VMSnapshotLinux",
            "1.0.9300.0", Clock.fixed(NOW, ZoneOffset.UTC));

    private static BackupReport report(StatusType status, int code, List<SnapshotInfo> snapshots,
                                       Optional<BackupTelemetry> telemetry, String vmType) {
        return new BackupReport(status, code, "Enable Succeeded.", Consistency.FILE_SYSTEM, 300, 128, "task-1",
                "638000000000000000", snapshots, telemetry, "machine-1", 2, "en-US", vmType, new UsedSize(4096L, false));
    }

    private static Optional<BackupTelemetry> telemetry(SnapshotTelemetry snapshot, Map<String, Long> phaseMillis,
                                                       boolean statusBlobUploadError) {
        return Optional.of(new BackupTelemetry(snapshot, phaseMillis, 40, Optional.empty(), Consistency.FILE_SYSTEM,
                ErrorCode.SUCCESS, "1.0.9300.0", statusBlobUploadError));
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static List<SnapshotInfo> twoDisks() {
        return List.of(
                new SnapshotInfo(true, "https://a.blob.core.windows.net/v/os.vhd?snapshot=2025-03-01T10:00:01Z", null,
                        "https://a.blob.core.windows.net/v/os.vhd", null, 201),
                new SnapshotInfo(true, null, null, "https://dd.example/disks/d1",
                        new DirectDriveSnapshotIdentifier(Instant.ofEpochMilli(1_740_823_201_000L), "snap-id", "tok",
                                30), 200));
    }

    @Test
    void blobDocument_keepsUpstreamsKeyOrderStringCodesAndDotNetDates() throws IOException {
        String text = documents.blobDocument(report(StatusType.SUCCESS, 1, twoDisks(), Optional.empty(), ARM));

        JsonNode root = json.readTree(text);
        assertTrue(root.isArray());
        assertEquals(1, root.size());
        JsonNode document = root.get(0);
        assertEquals(List.of("version", "timestampUTC", "status"), keys(document));
        assertEquals("1.0.9300.0", document.get("version").asText());
        assertTrue(text.contains("\"timestampUTC\":\"\\/Date(" + NOW.toEpochMilli() + ")\\/\""), text);
        JsonNode status = document.get("status");
        assertEquals(List.of("name", "operation", "status", "substatus", "code", "taskId", "formattedMessage",
                "storageDetails", "commandStartTimeUTCTicks", "telemetryData", "uniqueMachineId", "snapshotInfo",
                "vmHealthInfo"), keys(status));
        assertEquals("Microsoft.Azure.RecoveryServices.VMSnapshotLinux", status.get("name").asText());
        assertEquals("Enable", status.get("operation").asText());
        assertEquals("success", status.get("status").asText());
        assertTrue(status.get("substatus").isArray() && status.get("substatus").isEmpty());
        assertTrue(status.get("code").isTextual(), "the service reads codes as strings");
        assertEquals("1", status.get("code").asText());
        assertEquals("task-1", status.get("taskId").asText());
        assertEquals("638000000000000000", status.get("commandStartTimeUTCTicks").asText());
        assertEquals("machine-1", status.get("uniqueMachineId").asText());
        assertEquals(List.of("partitionCount", "totalUsedSizeInBytes", "isStoragespacePresent",
                "isSizeComputationFailed"), keys(status.get("storageDetails")));
        assertEquals(2, status.get("storageDetails").get("partitionCount").asInt());
        assertEquals(4096L, status.get("storageDetails").get("totalUsedSizeInBytes").asLong());
        assertEquals(false, status.get("storageDetails").get("isSizeComputationFailed").asBoolean(true));
    }

    @Test
    void blobDocument_messageIsTheJsonTextOfTheExtensionResponseWithTheRealConsistency() throws IOException {
        SnapshotTelemetry snapshot = new SnapshotTelemetry(Optional.of(SnapshotCreator.HOST), OptionalInt.of(200),
                OptionalInt.empty(), Optional.empty());

        JsonNode status = json.readTree(documents.blobDocument(report(StatusType.SUCCESS, 1, null,
                telemetry(snapshot, Map.of("freeze", 12L), false), ARM)))
                .get(0).get("status");

        JsonNode formatted = status.get("formattedMessage");
        assertEquals(List.of("lang", "message"), keys(formatted));
        assertEquals("en-US", formatted.get("lang").asText());
        assertTrue(formatted.get("message").isTextual());
        JsonNode response = json.readTree(formatted.get("message").asText());
        assertEquals(List.of("messageStr", "snapshotConsistency", "jobMessage", "isSizeComputationFailed"),
                keys(response));
        assertEquals(1, response.get("snapshotConsistency").asInt());
        assertEquals(false, response.get("isSizeComputationFailed").asBoolean(true));
        assertTrue(response.get("snapshotConsistency").isInt());
        assertEquals("", response.get("jobMessage").asText());
        assertEquals("Enable Succeeded.snapshotCreator=backupHostService, hostStatusCodePreSnapshot=200, ",
                response.get("messageStr").asText());
    }

    @Test
    void blobDocument_afterAFailedUpload_saysSoBeforeTheSnapshotTelemetry() throws IOException {
        JsonNode status = json.readTree(documents.blobDocument(report(StatusType.SUCCESS, 1, null,
                telemetry(new SnapshotTelemetry(Optional.of(SnapshotCreator.GUEST), OptionalInt.empty(), OptionalInt.empty(),
                        Optional.empty()), Map.of(), true), ARM))).get(0).get("status");

        String messageStr = json.readTree(status.get("formattedMessage").get("message").asText()).get("messageStr")
                .asText();
        assertEquals("Enable Succeeded. statusBlobUploadError=true, snapshotCreator=guestExtension, ", messageStr);
    }

    @Test
    void blobDocument_listsEverySnapshotInOrderWithDirectDriveDates() throws IOException {
        String text = documents.blobDocument(report(StatusType.SUCCESS, 1, twoDisks(), Optional.empty(), ARM));
        JsonNode infos = json.readTree(text).get(0).get("status").get("snapshotInfo");

        assertEquals(2, infos.size());
        assertEquals(List.of("isSuccessful", "snapshotUri", "errorMessage", "blobUri", "directDriveSnapshotIdentifier"),
                keys(infos.get(0)));
        assertTrue(infos.get(0).get("isSuccessful").asBoolean());
        assertEquals("https://a.blob.core.windows.net/v/os.vhd", infos.get(0).get("blobUri").asText());
        assertTrue(infos.get(0).get("errorMessage").isNull());
        assertTrue(infos.get(0).get("directDriveSnapshotIdentifier").isNull());
        assertTrue(infos.get(1).get("snapshotUri").isNull());
        JsonNode dd = infos.get(1).get("directDriveSnapshotIdentifier");
        assertEquals(List.of("creationTime", "id", "token", "instantAccessDurationMinutes"), keys(dd));
        assertEquals(List.of("DateTime", "OffsetMinutes"), keys(dd.get("creationTime")));
        assertEquals(0, dd.get("creationTime").get("OffsetMinutes").asInt());
        assertTrue(text.contains("\"DateTime\":\"\\/Date(1740823201000)\\/\""), text);
        assertEquals(30, dd.get("instantAccessDurationMinutes").asInt());
    }

    @Test
    void blobDocument_withoutSnapshots_saysNull() throws IOException {
        JsonNode status = json.readTree(documents.blobDocument(report(StatusType.ERROR, 402, null, Optional.empty(), ARM)))
                .get(0).get("status");

        assertTrue(status.get("snapshotInfo").isNull());
        assertEquals("error", status.get("status").asText());
    }

    @Test
    void blobDocument_reportsHealthAsNumbersAndTelemetryAsValueKeyPairs() throws IOException {
        JsonNode status = json.readTree(documents.blobDocument(report(StatusType.SUCCESS, 1, null,
                telemetry(SnapshotTelemetry.NONE, Map.of("pre", 2L), false), ARM))).get(0).get("status");

        assertEquals(List.of("vmHealthState", "vmHealthStatusCode"), keys(status.get("vmHealthInfo")));
        assertTrue(status.get("vmHealthInfo").get("vmHealthState").isInt());
        assertEquals(128, status.get("vmHealthInfo").get("vmHealthState").asInt());
        assertEquals(300, status.get("vmHealthInfo").get("vmHealthStatusCode").asInt());
        JsonNode telemetry = status.get("telemetryData");
        assertEquals(List.of("Value", "Key"), keys(telemetry.get(0)));
        List<String> names = new ArrayList<>();
        telemetry.forEach(entry -> names.add(entry.get("Key").asText()));
        assertEquals(names.stream().sorted().toList(), names, "sorted by key, as upstream");
        assertEquals("consistencyType", telemetry.get(0).get("Key").asText());
        assertEquals("fileSystemConsistent", telemetry.get(0).get("Value").asText());
        assertTrue(names.contains("preMillis"), names.toString());
    }

    @Test
    void blobDocument_forTheInterimReport_isSuccessWithCode4() throws IOException {
        JsonNode status = json.readTree(documents.blobDocument(report(StatusType.TRANSITIONING, 4, null, Optional.empty(),
                ARM))).get(0).get("status");

        assertEquals("success", status.get("status").asText());
        assertEquals("4", status.get("code").asText());
    }

    @Test
    void fileDocument_onAnArmVm_reportsATerminalErrorAsSuccessKeepingTheCodeAndMessage() {
        StatusReport file = documents.fileDocument(report(StatusType.ERROR, 300, null, Optional.empty(), ARM), "BLOB");

        assertEquals(StatusType.SUCCESS, file.status());
        assertEquals(300, file.code());
        assertEquals("Enable Succeeded.", file.formattedMessage().message());
    }

    @Test
    void fileDocument_onAnArmVm_matchesTheVmTypeCaseInsensitively() {
        assertEquals(StatusType.SUCCESS, documents.fileDocument(
                report(StatusType.ERROR, 76, null, Optional.empty(), "microsoft.compute/virtualmachines"), "B").status());
    }

    @Test
    void fileDocument_onAClassicVmOrWithoutVmType_keepsTheError() {
        assertEquals(StatusType.ERROR, documents.fileDocument(
                report(StatusType.ERROR, 76, null, Optional.empty(), "Microsoft.ClassicCompute/virtualMachines"), "B").status());
        assertEquals(StatusType.ERROR, documents.fileDocument(report(StatusType.ERROR, 76, null, Optional.empty(), ""), "B")
                .status());
        assertEquals(StatusType.ERROR, documents.fileDocument(report(StatusType.ERROR, 76, null, Optional.empty(), null), "B")
                .status());
    }

    @Test
    void fileDocument_neverForcesANonTerminalStatus() {
        assertEquals(StatusType.TRANSITIONING, documents.fileDocument(
                report(StatusType.TRANSITIONING, 4, null, Optional.empty(), ARM), "B").status());
    }

    @Test
    void fileDocument_carriesTheBlobDocumentInItsOneSubstatus_writtenWithIntCodesAndLowercase() throws IOException {
        BackupReport report = report(StatusType.ERROR, 300, twoDisks(), Optional.empty(), ARM);
        String blob = documents.blobDocument(report);
        StatusReport file = documents.fileDocument(report, blob);
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            new StatusFileWriter(Files.createDirectories(fs.getPath("/status"))).write(3, file);
            JsonNode written = json.readTree(Files.readAllBytes(fs.getPath("/status/3.status"))).get(0).get("status");

            assertEquals("success", written.get("status").asText());
            assertTrue(written.get("code").isInt());
            assertEquals(300, written.get("code").asInt());
            assertEquals("Enable", written.get("operation").asText());
            assertEquals(1, written.get("substatus").size());
            JsonNode carrier = written.get("substatus").get(0);
            assertEquals(blob, carrier.get("name").asText());
            assertEquals("success", carrier.get("status").asText());
            assertTrue(carrier.get("code").isInt());
            assertEquals("Enable Succeeded.", carrier.get("formattedMessage").get("message").asText());
            assertEquals("en-US", carrier.get("formattedMessage").get("lang").asText());
        }
    }
}

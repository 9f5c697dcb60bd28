package io.vmsnapshot.report;

import io.vmsnapshot.agent.Operation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.status.HeartbeatWriter;
import io.vmsnapshot.status.StatusFileWriter;
import io.vmsnapshot.status.StatusReport;
import io.vmsnapshot.status.StatusType;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusReporterTest {
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private final ObjectMapper json = new ObjectMapper();
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path statusFolder = fs.getPath("/base/status");
    private final Path heartbeatFile = fs.getPath("/base/heartbeat.log");
    private final StatusReporter reporter = new StatusReporter(new StatusFileWriter(statusFolder),
            new HeartbeatWriter(heartbeatFile), "Microsoft.Azure.RecoveryServices.VMSnapshotLinux",
            Clock.fixed(NOW, ZoneOffset.UTC));

    StatusReporterTest() throws IOException {
        Files.createDirectories(statusFolder);
    }

    @AfterEach
    void tearDown() throws IOException {
        fs.close();
    }

    private JsonNode status(int seq) throws IOException {
        return json.readTree(Files.readAllBytes(statusFolder.resolve(seq + ".status"))).get(0);
    }

    @Test
    void report_anError_writesNameMessageDetailAndAction() throws IOException {
        reporter.report(4, Operation.ENABLE, StatusType.ERROR, ErrorCode.SETTINGS_INVALID, Messages.forLocale("en-US"),
                "field 'x' is missing");

        JsonNode document = status(4);
        assertEquals("2025-03-01T10:00:00Z", document.get("timestampUTC").asText());
        JsonNode status = document.get("status");
        assertEquals("Microsoft.Azure.RecoveryServices.VMSnapshotLinux", status.get("name").asText());
        assertEquals("Enable", status.get("operation").asText());
        assertEquals("error", status.get("status").asText());
        assertEquals(11, status.get("code").asInt());
        assertEquals("error_parameter: The backup request's settings are invalid. field 'x' is missing. The Azure "
                        + "Backup service sends new settings with the next backup; if this repeats, contact support.",
                status.get("formattedMessage").get("message").asText());
        assertEquals("en-US", status.get("formattedMessage").get("lang").asText());
    }

    @Test
    void report_aNonError_joinsTheMessageAndTheDetail() throws IOException {
        reporter.report(4, Operation.WORKER, StatusType.TRANSITIONING, ErrorCode.TRANSITIONING,
                Messages.forLocale(null), null);
        reporter.report(5, Operation.ENABLE, StatusType.SUCCESS, ErrorCode.SUCCESS, Messages.forLocale(null),
                " Install Succeeded. ");

        assertEquals("Transitioning state in extension.",
                status(4).get("status").get("formattedMessage").get("message").asText());
        assertEquals("Enable", status(4).get("status").get("operation").asText());
        assertEquals("Enable Succeeded. Install Succeeded.",
                status(5).get("status").get("formattedMessage").get("message").asText());
    }

    @Test
    void report_inChinese_usesTheChineseTextAndTag() throws IOException {
        reporter.report(4, Operation.ENABLE, StatusType.ERROR, ErrorCode.PRE_SCRIPT_FAILED, Messages.forLocale("zh-CN"),
                "exit 1");

        JsonNode message = status(4).get("status").get("formattedMessage");
        assertEquals("zh-CN", message.get("lang").asText());
        assertTrue(message.get("message").asText().startsWith("Pre-ScriptExecutionFailed: "), message.toString());
        assertTrue(message.get("message").asText().codePoints().anyMatch(c -> c >= 0x4E00 && c <= 0x9FFF),
                message.toString());
    }

    @Test
    void reportOf_reReportsAnEarlierTaskAsItEnded() {
        StatusReport report = reporter.reportOf(Operation.ENABLE,
                new TaskRecord("t", 2, StatusType.ERROR, 300, "it failed", "en-US", 1), "en-US");

        assertEquals(StatusType.ERROR, report.status());
        assertEquals(300, report.code());
        assertEquals("it failed", report.formattedMessage().message());
        assertEquals(NOW, report.timestamp());
    }

    @Test
    void heartbeat_writesTheAgentsFormat() throws IOException {
        reporter.heartbeat(false, "en-US", "Disabled");

        JsonNode heartbeat = json.readTree(Files.readAllBytes(heartbeatFile)).get(0).get("heartbeat");
        assertEquals("NotReady", heartbeat.get("status").asText());
        assertEquals(0, heartbeat.get("code").asInt());
        assertEquals("Disabled", heartbeat.get("formattedMessage").get("message").asText());
    }

    @Test
    void heartbeat_withoutAHeartbeatFile_doesNothing() {
        StatusReporter fallback = new StatusReporter(new StatusFileWriter(statusFolder), null, "n",
                Clock.fixed(NOW, ZoneOffset.UTC));
        fallback.heartbeat(true, "en-US", "x");
        assertTrue(Files.notExists(heartbeatFile));
    }

    @Test
    void heartbeat_whenItCannotBeWritten_doesNotFail() {
        StatusReporter broken = new StatusReporter(new StatusFileWriter(statusFolder),
                new HeartbeatWriter(fs.getPath("/missing/dir/heartbeat.log")), "n", Clock.fixed(NOW, ZoneOffset.UTC));
        broken.heartbeat(true, "en-US", "x");
    }
}

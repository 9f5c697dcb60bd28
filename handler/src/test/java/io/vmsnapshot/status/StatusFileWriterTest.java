package io.vmsnapshot.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatusFileWriterTest {
    private static final Instant WHEN = Instant.parse("2026-02-03T04:05:06.789Z");
    private static final String NAME = "Microsoft.Azure.RecoveryServices.VMSnapshotLinux";
    private static final int ONE_MIB = 1024 * 1024;

    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path folder = fs.getPath("/base/status");
    private final StatusFileWriter writer = new StatusFileWriter(folder);
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void createFolder() throws IOException {
        Files.createDirectories(folder);
    }

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void write_producesTheShapeTheAgentParses() throws Exception {
        writer.write(5, report("Transitioning state in extension", List.of(
                new Substatus("{\"blob\":\"document\"}", StatusType.SUCCESS, 4, FormattedMessage.english("")))));

        JsonNode root = json.readTree(Files.readAllBytes(folder.resolve("5.status")));
        assertTrue(root.isArray());
        assertEquals(1, root.size());
        JsonNode document = root.get(0);
        assertTrue(document.get("version").isDouble());
        assertEquals(1.0, document.get("version").doubleValue());
        assertEquals("2026-02-03T04:05:06Z", document.get("timestampUTC").textValue());
        JsonNode status = document.get("status");
        assertEquals(NAME, status.get("name").textValue());
        assertEquals("Enable", status.get("operation").textValue());
        assertEquals("transitioning", status.get("status").textValue());
        assertTrue(status.get("code").isInt());
        assertEquals(4, status.get("code").intValue());
        assertEquals("2026-02-03T04:05:06Z", status.get("configurationAppliedTime").textValue());
        assertEquals("en-US", status.get("formattedMessage").get("lang").textValue());
        assertEquals("Transitioning state in extension", status.get("formattedMessage").get("message").textValue());
        JsonNode substatus = status.get("substatus").get(0);
        assertEquals("{\"blob\":\"document\"}", substatus.get("name").textValue());
        assertEquals("success", substatus.get("status").textValue());
        assertTrue(substatus.get("code").isInt());
        assertEquals("", substatus.get("formattedMessage").get("message").textValue());
        assertEquals("en-US", substatus.get("formattedMessage").get("lang").textValue());
    }

    @Test
    void write_withoutSubstatus_writesAnEmptyList() throws Exception {
        writer.write(0, report("ok", List.of()));

        JsonNode status = json.readTree(Files.readAllBytes(folder.resolve("0.status"))).get(0).get("status");
        assertTrue(status.get("substatus").isArray());
        assertEquals(0, status.get("substatus").size());
    }

    @Test
    void write_smallReport_isNotTruncated() throws Exception {
        String message = "x".repeat(100 * 1024);

        writer.write(1, report(message, List.of()));

        assertEquals(message, writer.read(1).orElseThrow().formattedMessage().message());
    }

    @Test
    void write_oneMebibyteMessage_staysUnderTheAgentLimitAndSaysTruncated() throws Exception {
        writer.write(1, report("m".repeat(ONE_MIB), List.of()));

        byte[] file = Files.readAllBytes(folder.resolve("1.status"));
        assertTrue(file.length <= StatusFileWriter.MAX_FILE_BYTES, "size " + file.length);
        assertTrue(file.length > StatusFileWriter.MAX_FILE_BYTES - 1024, "kept as much as fits: " + file.length);
        String message = writer.read(1).orElseThrow().formattedMessage().message();
        assertTrue(message.startsWith("mmmm") && message.endsWith(" ... [TRUNCATED]"));
    }

    @Test
    void write_oneMebibyteSubstatusName_cutsItAndKeepsTheShortTopMessage() throws Exception {
        writer.write(2, report("Enable failed", List.of(
                new Substatus("n".repeat(ONE_MIB), StatusType.ERROR, 2, FormattedMessage.english("short")))));

        assertTrue(Files.size(folder.resolve("2.status")) <= StatusFileWriter.MAX_FILE_BYTES);
        StatusReport read = writer.read(2).orElseThrow();
        assertEquals("Enable failed", read.formattedMessage().message());
        assertEquals("short", read.substatus().get(0).formattedMessage().message());
        assertTrue(read.substatus().get(0).name().endsWith(" ... [TRUNCATED]"));
    }

    @Test
    void write_multiByteAndEscapedTexts_stayUnderTheLimit() throws Exception {
        String chinese = "冻结".repeat(ONE_MIB / 2);
        String quotes = "\"\n".repeat(ONE_MIB / 2);

        writer.write(3, report(chinese, List.of(new Substatus(quotes, StatusType.ERROR, 1, FormattedMessage.english(chinese)))));

        assertTrue(Files.size(folder.resolve("3.status")) <= StatusFileWriter.MAX_FILE_BYTES);
        assertTrue(writer.read(3).isPresent());
    }

    @Test
    void write_tensOfThousandsOfSubstatus_dropsTheTailToFit() throws Exception {
        List<Substatus> many = Collections.nCopies(50_000,
                new Substatus("plugin", StatusType.SUCCESS, 0, FormattedMessage.english("done")));

        writer.write(4, report("ok", many));

        assertTrue(Files.size(folder.resolve("4.status")) <= StatusFileWriter.MAX_FILE_BYTES);
        StatusReport read = writer.read(4).orElseThrow();
        assertFalse(read.substatus().isEmpty());
        assertEquals("plugin", read.substatus().get(0).name());
    }

    @Test
    void read_afterWrite_returnsTheReportToTheSecond() throws Exception {
        StatusReport report = report("Enable Succeeded.", List.of(
                new Substatus("doc", StatusType.WARNING, 300, new FormattedMessage("zh-CN", "预脚本失败"))));

        writer.write(7, report);

        StatusReport read = writer.read(7).orElseThrow();
        assertEquals(new StatusReport(NAME, "Enable", StatusType.TRANSITIONING, 4,
                FormattedMessage.english("Enable Succeeded."), report.substatus(), Instant.parse("2026-02-03T04:05:06Z")), read);
    }

    @Test
    void read_missingFile_isEmpty() {
        assertEquals(Optional.empty(), writer.read(9));
    }

    @Test
    void read_foreignOrTornFile_isEmpty() throws Exception {
        Files.writeString(folder.resolve("9.status"), "[{\"status\":{\"status\":\"Success\"");

        assertEquals(Optional.empty(), writer.read(9));
    }

    @Test
    void write_whenFileSystemFull_keepsThePreviousStatusAndNamesTheFolder() throws Exception {
        try (FileSystem small = Jimfs.newFileSystem(Configuration.unix().toBuilder()
                .setBlockSize(1024).setMaxSize(64 * 1024).build())) {
            Path statusFolder = Files.createDirectories(small.getPath("/status"));
            StatusFileWriter smallWriter = new StatusFileWriter(statusFolder);
            smallWriter.write(1, report("first", List.of()));

            IOException e = assertThrows(IOException.class,
                    () -> smallWriter.write(1, report("m".repeat(ONE_MIB), List.of())));

            assertTrue(e.getMessage().contains("/status"), e.getMessage());
            assertEquals("first", smallWriter.read(1).orElseThrow().formattedMessage().message());
            try (var files = Files.list(statusFolder)) {
                assertEquals(1, files.count());
            }
        }
    }

    @Test
    void statusFile_negativeSequenceNumber_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> writer.statusFile(-1));
    }

    private static StatusReport report(String message, List<Substatus> substatus) {
        return new StatusReport(NAME, "Enable", StatusType.TRANSITIONING, 4, FormattedMessage.english(message),
                substatus, WHEN);
    }

    @Test
    void write_messageOfLoneSurrogates_isCutToFitInsteadOfFailing() throws IOException {
        StatusReport report = new StatusReport(NAME, "Enable", StatusType.ERROR, 2,
                FormattedMessage.english("\uD800".repeat(60_000)), List.of(), WHEN);

        writer.write(0, report);

        assertTrue(Files.size(writer.statusFile(0)) <= StatusFileWriter.MAX_FILE_BYTES);
        assertEquals(StatusType.ERROR, writer.read(0).orElseThrow().status());
    }
}

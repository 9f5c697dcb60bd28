package io.vmsnapshot.lifecycle;

import io.vmsnapshot.report.TaskRecord;
import io.vmsnapshot.report.TaskRegistry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.status.StatusType;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EnableCommandTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final AgentLayout agent = new AgentLayout(fs.getPath("/var/lib/waagent"));

    @AfterEach
    void tearDown() throws IOException {
        fs.close();
    }

    private int enable(int seq) throws Exception {
        agent.env.put("ConfigSequenceNumber", Integer.toString(seq));
        return agent.run(agent.enable());
    }

    private TaskRegistry tasks() {
        return new TaskRegistry(agent.paths().taskRegistryFile());
    }

    @Test
    void enable_whenAccepted_reportsTransitioningStartsTheWorkerAndRecordsTheSequenceNumber() throws Exception {
        Path settings = agent.settings(3, AgentLayout.publicSettings("snapshot", "task-1"),
                AgentLayout.protectedWithBlobs("tok-123456"));

        assertEquals(ExitCodes.SUCCESS, enable(3));

        JsonNode status = agent.status(3);
        assertEquals("transitioning", status.get("status").asText());
        assertEquals(ErrorCode.TRANSITIONING.code(), status.get("code").asInt());
        assertEquals("Enable", status.get("operation").asText());
        assertEquals(List.of(3), agent.launched);
        assertEquals("3", Files.readString(agent.base.resolve("mrseq")));
        assertEquals(StatusType.TRANSITIONING, tasks().find("task-1").orElseThrow().status());
        assertTrue(Files.readString(settings).contains("protectedSettings"), "the worker still needs them");
    }

    @Test
    void enable_neverDecryptsTheProtectedSettings_soItAcceptsARequestWhoseCertificateIsMissing() throws Exception {
        Path settings = agent.settings(3, AgentLayout.publicSettings("snapshot", "task-1"),
                AgentLayout.protectedWithBlobs("tok-123456"));
        Files.delete(agent.lib.resolve(TestCertificate.THUMBPRINT + ".prv"));
        Files.delete(agent.lib.resolve(TestCertificate.THUMBPRINT + ".crt"));

        assertEquals(ExitCodes.SUCCESS, enable(3));

        assertEquals("transitioning", agent.status(3).get("status").asText());
        assertEquals(List.of(3), agent.launched);
        assertTrue(Files.readString(settings).contains("protectedSettings"), "the worker decrypts and reports");
    }

    @Test
    void enable_neverDecodesTheProtectedSettings_notEvenTheirBase64OrThumbprint() throws Exception {
        agent.settingsText(3, "{\"runtimeSettings\":[{\"handlerSettings\":{\"publicSettings\":"
                + AgentLayout.publicSettings("snapshot", "task-1") + ",\"protectedSettings\":\"not base64 !\"}}]}");

        assertEquals(ExitCodes.SUCCESS, enable(3));

        assertEquals("transitioning", agent.status(3).get("status").asText());
        assertEquals(List.of(3), agent.launched);
    }

    @Test
    void enableDoesNotDecryptTheProtectedSettings_theWorkerReportsAProtectedSettingsFailure() throws Exception {
        Path settings = agent.settings(3, AgentLayout.publicSettings("snapshot", "task-1"),
                AgentLayout.protectedWithBlobs("tok-123456"));
        Files.delete(agent.lib.resolve(TestCertificate.THUMBPRINT + ".prv"));
        assertEquals(ExitCodes.SUCCESS, enable(3));

        assertEquals(ExitCodes.SETTINGS_INVALID, agent.run(agent.worker(), "3"));

        JsonNode status = agent.status(3);
        assertEquals("error", status.get("status").asText());
        assertEquals(ErrorCode.CERTIFICATE_NOT_FOUND.code(), status.get("code").asInt());
        assertTrue(status.get("formattedMessage").get("message").asText().contains(".prv does not exist"));
        TaskRecord record = tasks().find("task-1").orElseThrow();
        assertTrue(record.finished());
        assertEquals(ErrorCode.CERTIFICATE_NOT_FOUND.code(), record.code());
        assertEquals(List.of(), agent.backups, "nothing runs for a request that cannot be decrypted");
        assertFalse(Files.readString(settings).contains("protectedSettings"));

        // The same task again: its outcome, not "being processed", and no second worker.
        agent.settings(4, AgentLayout.publicSettings("snapshot", "task-1"), AgentLayout.protectedWithBlobs("tok-1"));
        assertEquals(ExitCodes.SUCCESS, enable(4));
        assertEquals(ErrorCode.CERTIFICATE_NOT_FOUND.code(), agent.status(4).get("code").asInt());
        assertEquals(List.of(3), agent.launched);
    }

    @Test
    void enable_whenTheSequenceNumberWasAlreadyProcessed_doesNothingButScrubTheSettings() throws Exception {
        Path settings = agent.settings(3, AgentLayout.publicSettings("snapshot", "task-1"),
                AgentLayout.protectedWithBlobs("tok-123456"));
        FileTime mtime = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(settings, mtime);
        Files.writeString(agent.base.resolve("mrseq"), "3");

        assertEquals(ExitCodes.SUCCESS, enable(3));

        assertFalse(agent.hasStatus(3));
        assertEquals(List.of(), agent.launched);
        assertFalse(Files.readString(settings).contains("protectedSettings"));
        assertEquals(mtime, Files.getLastModifiedTime(settings), "the newest settings file is found by mtime");
    }

    @Test
    void enable_whenTheSameSequenceNumberComesAgainBeforeItsWorkerRan_leavesTheProtectedSettingsToTheWorker()
            throws Exception {
        Path settings = agent.settings(3, AgentLayout.publicSettings("snapshot", "task-1"),
                AgentLayout.protectedWithBlobs("tok-123456"));
        assertEquals(ExitCodes.SUCCESS, enable(3));

        assertEquals(ExitCodes.SUCCESS, enable(3));

        assertTrue(Files.readString(settings).contains("protectedSettings"), "the worker has yet to read them");
        assertEquals(List.of(3), agent.launched, "no second worker");
        assertEquals("transitioning", agent.status(3).get("status").asText());

        agent.run(agent.worker(), "3");
        assertFalse(Files.readString(settings).contains("protectedSettings"), "the worker scrubbed them");
        assertEquals(ExitCodes.SUCCESS, enable(3));
        assertFalse(Files.readString(settings).contains("protectedSettings"));
    }

    @Test
    void enable_whenTheSettingsAreInvalid_reportsTheSpecificProblemAndLeavesThePreviousStatusAlone()
            throws Exception {
        Files.writeString(agent.statusFolder.resolve("2.status"), "previous");
        agent.settingsText(3, "{\"runtimeSettings\":[]}");

        assertEquals(ExitCodes.SETTINGS_INVALID, enable(3));

        JsonNode status = agent.status(3);
        assertEquals("error", status.get("status").asText());
        assertEquals(ErrorCode.SETTINGS_INVALID.code(), status.get("code").asInt());
        String message = status.get("formattedMessage").get("message").asText();
        assertTrue(message.contains("must hold exactly one 'runtimeSettings' entry but holds 0"), message);
        assertTrue(message.contains("3.settings"), message);
        assertEquals("previous", Files.readString(agent.statusFolder.resolve("2.status")));
        assertEquals(List.of(), agent.launched);
        assertEquals("3", Files.readString(agent.base.resolve("mrseq")), "a bad request is not retried as is");
    }

    @Test
    void enable_whenTheCommandIsMissing_namesTheField() throws Exception {
        agent.settings(4, AgentLayout.publicSettings("", "task-1"), null);

        assertEquals(ExitCodes.SETTINGS_INVALID, enable(4));

        assertTrue(agent.status(4).get("formattedMessage").get("message").asText()
                .contains("publicSettings.commandToExecute is missing"));
    }

    @Test
    void enable_whenTheSettingsAreInvalidInChinese_reportsInTheRequestsLocale() throws Exception {
        ObjectNode settings = AgentLayout.publicSettings("format disk", "task-1");
        settings.put("locale", "zh-CN");
        agent.settings(4, settings, null);

        enable(4);

        JsonNode message = agent.status(4).get("formattedMessage");
        assertEquals("zh-CN", message.get("lang").asText());
        assertTrue(message.get("message").asText().contains("\"format disk\""), message.toString());
    }

    @Test
    void enable_whenTheTaskFinishedBefore_reReportsItsOutcomeForTheNewSequenceNumber() throws Exception {
        tasks().put(new TaskRecord("task-1", 2, StatusType.ERROR, 300, "Pre-script failed: exit 1", "en-US", 1));
        Path settings = agent.settings(3, AgentLayout.publicSettings("snapshot", "task-1"),
                AgentLayout.protectedWithBlobs("tok-123456"));

        assertEquals(ExitCodes.SUCCESS, enable(3));

        JsonNode status = agent.status(3);
        assertEquals("error", status.get("status").asText());
        assertEquals(300, status.get("code").asInt());
        assertEquals("Pre-script failed: exit 1", status.get("formattedMessage").get("message").asText());
        assertEquals(List.of(), agent.launched);
        assertFalse(Files.readString(settings).contains("protectedSettings"));
    }

    @Test
    void enable_whenTheTaskIsStillRunning_reportsAlreadyProcessedWithCode3() throws Exception {
        tasks().put(new TaskRecord("task-1", 2, StatusType.TRANSITIONING, 4, "Transitioning", "en-US", 1));
        agent.settings(3, AgentLayout.publicSettings("snapshot", "task-1"), null);

        assertEquals(ExitCodes.SUCCESS, enable(3));

        JsonNode status = agent.status(3);
        assertEquals(ErrorCode.SUCCESS_ALREADY_PROCESSED_INPUT.code(), status.get("code").asInt());
        assertTrue(status.get("formattedMessage").get("message").asText()
                .contains("Task task-1 is being processed for sequence number 2."));
        assertEquals(List.of(), agent.launched);
    }

    @Test
    void enable_withoutATaskId_isRefusedBecauseItCanNeitherBeDedupedNorNamedToTheHost() throws Exception {
        tasks().put(new TaskRecord("", 2, StatusType.ERROR, 300, "x", "en-US", 1));
        agent.settings(3, AgentLayout.publicSettings("snapshot", ""), null);

        assertEquals(ExitCodes.SETTINGS_INVALID, enable(3));

        assertEquals(List.of(), agent.launched);
        assertEquals("error", agent.status(3).get("status").asText());
        assertTrue(agent.status(3).get("formattedMessage").get("message").asText().contains("taskId"));
    }

    @Test
    void enable_forAnInstallCommand_reportsSuccessWithoutAWorker() throws Exception {
        agent.settings(1, AgentLayout.publicSettings("Install", "task-1"), null);

        assertEquals(ExitCodes.SUCCESS, enable(1));

        assertEquals("success", agent.status(1).get("status").asText());
        assertEquals(List.of(), agent.launched);
    }

    @Test
    void enable_whenHandlerEnvironmentIsMissing_reportsInTheFallbackStatusFolder() throws Exception {
        Files.delete(agent.base.resolve("HandlerEnvironment.json"));

        assertEquals(ExitCodes.ENVIRONMENT_INVALID, enable(5));

        JsonNode status = agent.status(5);
        assertEquals("error", status.get("status").asText());
        assertEquals(ErrorCode.HANDLER_ENVIRONMENT_INVALID.code(), status.get("code").asInt());
        assertTrue(status.get("formattedMessage").get("message").asText().contains("does not exist"));
    }

    @Test
    void enable_withoutConfigSequenceNumber_usesTheNewestSettingsFile() throws Exception {
        agent.settings(8, AgentLayout.publicSettings("snapshot", "task-8"), null);
        Files.setLastModifiedTime(agent.configFolder.resolve("8.settings"), FileTime.fromMillis(2_000_000));
        agent.settings(9, AgentLayout.publicSettings("snapshot", "task-9"), null);
        Files.setLastModifiedTime(agent.configFolder.resolve("9.settings"), FileTime.fromMillis(1_000_000));

        agent.run(agent.enable());

        assertEquals(List.of(8), agent.launched);
    }

    @Test
    void enable_whenTheWorkerCannotBeStarted_failsAndDoesNotLeaveTheTaskRunningForever() throws Exception {
        agent.settings(3, AgentLayout.publicSettings("snapshot", "task-1"), null);
        agent.env.put("ConfigSequenceNumber", "3");
        agent.launchFailure = new IOException("setsid: not found");

        assertEquals(ExitCodes.FAILURE, agent.handle("enable"));

        assertEquals("error", agent.status(3).get("status").asText());
        Optional<TaskRecord> task = tasks().find("task-1");
        assertEquals(StatusType.ERROR, task.orElseThrow().status(),
                "a repeat of this task must not be told it is still being processed");
        assertEquals(ErrorCode.SYSTEM_ERROR.code(), task.get().code());
    }
}

package io.vmsnapshot.lifecycle;

import io.vmsnapshot.report.TaskRecord;
import io.vmsnapshot.report.TaskRegistry;
import io.vmsnapshot.worker.WorkerLock;
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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerCommandTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final AgentLayout agent = new AgentLayout(fs.getPath("/var/lib/waagent"));

    @AfterEach
    void tearDown() throws IOException {
        fs.close();
    }

    private TaskRegistry tasks(AgentLayout layout) {
        return new TaskRegistry(layout.paths().taskRegistryFile());
    }

    @Test
    void worker_runsTheBackupWritesItsStatusRemembersTheTaskAndStripsTheProtectedSettings() throws Exception {
        Path settings = agent.settings(3, AgentLayout.publicSettings("snapshot", "task-1"),
                AgentLayout.protectedWithBlobs("tok-123456"));
        agent.backupJob = (request, cancellation) -> agent.outcome(StatusType.ERROR, ErrorCode.PRE_SCRIPT_FAILED,
                "Pre-ScriptExecutionFailed: exit 1");

        assertEquals(ExitCodes.SUCCESS, agent.run(agent.worker(), "3"));

        JsonNode status = agent.status(3);
        assertEquals("error", status.get("status").asText());
        assertEquals(300, status.get("code").asInt());
        TaskRecord task = tasks(agent).find("task-1").orElseThrow();
        assertEquals(StatusType.ERROR, task.status());
        assertEquals(300, task.code());
        assertEquals(3, task.sequenceNumber());
        assertEquals("Pre-ScriptExecutionFailed: exit 1", task.message());
        assertFalse(Files.readString(settings).contains("protectedSettings"));
        assertEquals("Ready", agent.heartbeat().get("status").asText());
    }

    @Test
    void worker_givesTheBackupTheDecryptedRequestOfItsSequenceNumber() throws Exception {
        agent.settings(3, AgentLayout.publicSettings("snapshot", "task-1"), AgentLayout.protectedWithBlobs("tok-123456"));

        agent.run(agent.worker(), "3");

        assertEquals(1, agent.backups.size());
        assertEquals(3, agent.backups.get(0).sequenceNumber());
        assertEquals(List.of("https://a.blob.core.windows.net/v/os.vhd?sv=1&sig=s3cr3t"),
                agent.backups.get(0).settings().blobSasUris());
        assertEquals("tok-123456", agent.backups.get(0).settings().snapshotTaskToken());
        assertEquals(AgentLayout.NAME, agent.backups.get(0).environment().name());
    }

    @Test
    void worker_masksTheTaskTokenInEverythingRedactedAfterwards() throws Exception {
        agent.settings(3, AgentLayout.publicSettings("snapshot", "task-1"), AgentLayout.protectedWithBlobs("tok-123456"));

        agent.run(agent.worker(), "3");

        assertEquals("token=REDACTED", agent.redactor.redact("token=tok-123456"));
    }

    @Test
    void worker_whenTheSettingsAreNotJson_reportsThatAndNotASystemError() throws Exception {
        agent.settingsText(3, "{not json");

        assertEquals(ExitCodes.SETTINGS_INVALID, agent.handle("worker", "3"));

        JsonNode status = agent.status(3);
        assertEquals(ErrorCode.SETTINGS_INVALID.code(), status.get("code").asInt());
        assertTrue(status.get("formattedMessage").get("message").asText().contains("is not valid JSON"));
        assertTrue(agent.backups.isEmpty());
    }

    @Test
    void worker_whenTheProtectedSettingsCannotBeDecrypted_reportsItFinishesTheTaskRunsNothingAndStillStripsThem()
            throws Exception {
        Path settings = agent.settings(3, AgentLayout.publicSettings("snapshot", "task-1"),
                AgentLayout.protectedWithBlobs("tok-123456"));
        Files.delete(agent.lib.resolve(TestCertificate.THUMBPRINT + ".prv"));

        assertEquals(ExitCodes.SETTINGS_INVALID, agent.run(agent.worker(), "3"));

        JsonNode status = agent.status(3);
        assertEquals(ErrorCode.CERTIFICATE_NOT_FOUND.code(), status.get("code").asInt());
        assertTrue(status.get("formattedMessage").get("message").asText().contains(".prv does not exist"));
        assertFalse(Files.readString(settings).contains("protectedSettings"));
        TaskRecord record = tasks(agent).find("task-1").orElseThrow();
        assertEquals(StatusType.ERROR, record.status());
        assertEquals(ErrorCode.CERTIFICATE_NOT_FOUND.code(), record.code());
        assertEquals(List.of(), agent.backups);
    }

    @Test
    void worker_reportsAProtectedSettingsFailureInTheRequestsLanguage() throws Exception {
        ObjectNode publicSettings = AgentLayout.publicSettings("snapshot", "task-1");
        publicSettings.put("locale", "zh-CN");
        agent.settings(3, publicSettings, AgentLayout.protectedWithBlobs("tok-123456"));
        Files.delete(agent.lib.resolve(TestCertificate.THUMBPRINT + ".crt"));

        assertEquals(ExitCodes.SETTINGS_INVALID, agent.run(agent.worker(), "3"));

        JsonNode message = agent.status(3).get("formattedMessage");
        assertEquals("zh-CN", message.get("lang").asText());
        assertTrue(message.get("message").asText().contains(".crt"), message.toString());
        assertEquals("zh-CN", tasks(agent).find("task-1").orElseThrow().locale());
    }

    @Test
    void worker_whenTheProtectedCustomSettingsAreInvalid_reportsThemByNameWithoutTheirContent() throws Exception {
        agent.settings(3, AgentLayout.publicSettings("snapshot", "task-1"),
                "{\"customSettings\":\"{not json s3cr3t\"}");

        assertEquals(ExitCodes.SETTINGS_INVALID, agent.run(agent.worker(), "3"));

        JsonNode status = agent.status(3);
        assertEquals(ErrorCode.SETTINGS_INVALID.code(), status.get("code").asInt());
        String message = status.get("formattedMessage").get("message").asText();
        assertTrue(message.contains("field 'customSettings' is not valid JSON"), message);
        assertFalse(message.contains("s3cr3t"), message);
        assertEquals(ErrorCode.SETTINGS_INVALID.code(), tasks(agent).find("task-1").orElseThrow().code());
        assertEquals(List.of(), agent.backups);
    }

    @Test
    void worker_whenAnotherBackupHoldsTheLock_reportsBackupInProgressAfterTheWait(@TempDir Path dir) throws Exception {
        AgentLayout disk = new AgentLayout(dir.resolve("waagent"));
        Path settings = disk.settings(3, AgentLayout.publicSettings("snapshot", "task-1"),
                AgentLayout.protectedWithBlobs("tok-123456"));
        try (WorkerLock held = WorkerLock.tryAcquire(disk.paths().workerLockFile(), 1).orElseThrow()) {
            long start = System.nanoTime();

            assertEquals(ExitCodes.BUSY, disk.run(disk.worker(Duration.ofMillis(300)), "3"));

            assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos(), "it waited first");
        }
        JsonNode status = disk.status(3);
        assertEquals("error", status.get("status").asText());
        assertEquals(ErrorCode.BACKUP_IN_PROGRESS.code(), status.get("code").asInt());
        assertTrue(status.get("formattedMessage").get("message").asText().contains("did not finish within 300 ms"));
        assertTrue(disk.backups.isEmpty());
        assertFalse(Files.readString(settings).contains("protectedSettings"));
        assertEquals(StatusType.ERROR, tasks(disk).find("task-1").orElseThrow().status());
    }

    @Test
    void worker_whenThePreviousBackupEndsWhileWaiting_runs(@TempDir Path dir) throws Exception {
        AgentLayout disk = new AgentLayout(dir.resolve("waagent"));
        disk.settings(3, AgentLayout.publicSettings("snapshot", "task-1"), null);
        WorkerLock held = WorkerLock.tryAcquire(disk.paths().workerLockFile(), 1).orElseThrow();
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(150);
                held.close();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        releaser.start();

        assertEquals(ExitCodes.SUCCESS, disk.run(disk.worker(Duration.ofSeconds(10)), "3"));

        releaser.join();
        assertEquals(1, disk.backups.size());
    }

    @Test
    void worker_whenToldToStop_cancelsTheBackupWhichStillFinishes() throws Exception {
        agent.settings(3, AgentLayout.publicSettings("snapshot", "task-1"), null);
        AtomicBoolean sawCancel = new AtomicBoolean();
        agent.backupJob = (request, cancellation) -> {
            Thread stop = new Thread(agent.hooks.get(0));
            stop.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!cancellation.isCancelled() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            sawCancel.set(cancellation.isCancelled());
            return agent.outcome(StatusType.ERROR, ErrorCode.BACKUP_INTERRUPTED, "stopped");
        };

        agent.run(agent.worker(), "3");

        assertTrue(sawCancel.get());
        assertEquals(ErrorCode.BACKUP_INTERRUPTED.code(), agent.status(3).get("code").asInt());
    }

    @Test
    void worker_whenTheBackupCrashes_reportsASystemErrorWithoutTheSasToken() throws Exception {
        agent.settings(3, AgentLayout.publicSettings("snapshot", "task-1"), null);
        agent.backupJob = (request, cancellation) -> {
            throw new IllegalStateException("PUT https://a.blob.core.windows.net/c/b?sv=1&sig=leaked failed");
        };

        assertEquals(ExitCodes.FAILURE, agent.handle("worker", "3"));

        String message = agent.status(3).get("formattedMessage").get("message").asText();
        assertEquals(ErrorCode.SYSTEM_ERROR.code(), agent.status(3).get("code").asInt());
        assertTrue(message.contains("b?REDACTED"), message);
        assertFalse(agent.printed().contains("leaked"), agent.printed());
    }

    @Test
    void worker_withoutASequenceNumber_printsUsage() throws Exception {
        assertEquals(ExitCodes.USAGE, agent.run(agent.worker()));
        assertEquals(ExitCodes.USAGE, agent.run(agent.worker(), "../3"));
        assertTrue(agent.printed().contains("usage: handle.sh worker <sequence number>"));
        assertEquals(Optional.empty(), tasks(agent).find("task-1"));
    }
}

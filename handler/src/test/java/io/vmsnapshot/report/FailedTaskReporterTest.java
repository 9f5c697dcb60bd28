package io.vmsnapshot.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.agent.Operation;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.status.StatusFileWriter;
import io.vmsnapshot.status.StatusReport;
import io.vmsnapshot.status.StatusType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailedTaskReporterTest {
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final TaskFailure INTERRUPTED = new TaskFailure(7, Operation.WORKER, ErrorCode.BACKUP_INTERRUPTED,
            "The worker stopped during the freeze.", "task-7", "zh-CN");

    @TempDir
    Path dir;

    private StatusReporter reporterInto(Path statusFolder) {
        return new StatusReporter(new StatusFileWriter(statusFolder), null,
                "Microsoft.Azure.RecoveryServices.VMSnapshotLinux", CLOCK);
    }

    private TaskRegistry tasks() {
        return new TaskRegistry(dir.resolve("state/tasks.json"));
    }

    @Test
    void publish_writesTheStatusFileAndTheTaskRecordWithTheSameTexts() throws IOException {
        Path statusFolder = Files.createDirectories(dir.resolve("status"));

        new FailedTaskReporter(tasks(), CLOCK).publish(reporterInto(statusFolder), INTERRUPTED);

        Messages zh = Messages.forLocale("zh-CN");
        String message = zh.describe(ErrorCode.BACKUP_INTERRUPTED, "The worker stopped during the freeze.");
        StatusReport status = new StatusFileWriter(statusFolder).read(7).orElseThrow();
        assertEquals(StatusType.ERROR, status.status());
        assertEquals(ErrorCode.BACKUP_INTERRUPTED.code(), status.code());
        assertEquals(Operation.WORKER.statusName(), status.operation());
        assertEquals(message, status.formattedMessage().message());
        assertEquals(zh.languageTag(), status.formattedMessage().lang());
        assertEquals(List.of(TaskRecord.failed("task-7", 7, ErrorCode.BACKUP_INTERRUPTED, zh,
                "The worker stopped during the freeze.", "zh-CN", NOW.toEpochMilli())), tasks().readAll());
    }

    @Test
    void publish_whenTheStatusFileCannotBeWritten_recordsNoTask() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("status"), "a file where the status folder should be");

        assertThrows(IOException.class,
                () -> new FailedTaskReporter(tasks(), CLOCK).publish(reporterInto(notAFolder), INTERRUPTED));

        assertEquals(List.of(), tasks().readAll(), "the status file goes first: no finished record without it");
    }

    @Test
    void publish_whenTheTaskRecordCannotBeWritten_hasWrittenTheStatusFileAlready() throws IOException {
        Path statusFolder = Files.createDirectories(dir.resolve("status"));
        Files.writeString(dir.resolve("state"), "a file where the state folder should be");

        assertThrows(IOException.class,
                () -> new FailedTaskReporter(tasks(), CLOCK).publish(reporterInto(statusFolder), INTERRUPTED));

        assertTrue(new StatusFileWriter(statusFolder).read(7).isPresent());
    }

    @Test
    void publish_withoutATaskId_writesOnlyTheStatusFile() throws IOException {
        Path statusFolder = Files.createDirectories(dir.resolve("status"));
        TaskFailure anonymous = new TaskFailure(8, Operation.ENABLE, ErrorCode.BACKUP_INTERRUPTED, "stopped", "", null);

        new FailedTaskReporter(tasks(), CLOCK).publish(reporterInto(statusFolder), anonymous);

        assertEquals(Operation.ENABLE.statusName(), new StatusFileWriter(statusFolder).read(8).orElseThrow().operation());
        assertFalse(Files.exists(dir.resolve("state/tasks.json")));
    }

    @Test
    void remember_writesOnlyTheTaskRecord() throws IOException {
        Path statusFolder = Files.createDirectories(dir.resolve("status"));

        new FailedTaskReporter(tasks(), CLOCK).remember(INTERRUPTED);

        assertEquals(StatusType.ERROR, tasks().find("task-7").orElseThrow().status());
        assertTrue(new StatusFileWriter(statusFolder).read(7).isEmpty());
    }
}

package io.vmsnapshot.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.agent.HandlerEnvironment;
import io.vmsnapshot.backup.BackupJob;
import io.vmsnapshot.backup.BackupRequest;
import io.vmsnapshot.backup.BackupResult;
import io.vmsnapshot.backup.BackupVerdict;
import io.vmsnapshot.backup.Cancellation;
import io.vmsnapshot.backup.Consistency;
import io.vmsnapshot.backup.FreezeSnapshotResult;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.logging.Redactor;
import io.vmsnapshot.report.BackupOutcome;
import io.vmsnapshot.report.BlobUploader;
import io.vmsnapshot.report.OutcomeReporter;
import io.vmsnapshot.report.TaskRegistry;
import io.vmsnapshot.settings.HandlerSettings;
import io.vmsnapshot.settings.IncludedDisks;
import io.vmsnapshot.settings.PublicObject;
import io.vmsnapshot.settings.PublicSettings;
import io.vmsnapshot.settings.ProtectedSettings;
import io.vmsnapshot.status.StatusType;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The order a later start relies on: begin, the backup, FINISHED, the status file, forget, the task record. */
class JournaledBackupJobTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path state = fs.getPath("/ext/state");
    private final Path statusFolder = fs.getPath("/ext/status");
    private final BackupJournal journal = new BackupJournal(state, CLOCK);
    private final TaskRegistry tasks = new TaskRegistry(state.resolve("tasks.json"));
    private final List<String> seen = new ArrayList<>();

    @AfterEach
    void tearDown() throws IOException {
        fs.close();
    }

    private BackupOutcome run() throws IOException {
        BackupJob backup = (request, cancellation) -> {
            seen.add("backup, journal begun for seq " + journal.read().orElseThrow().sequenceNumber());
            return new BackupResult(new BackupVerdict(StatusType.SUCCESS, ErrorCode.SUCCESS_APP_CONSISTENT,
                    Consistency.APPLICATION, ErrorCode.SUCCESS, "all good"), "", FreezeSnapshotResult.notReached(),
                    Map.of("pre", 5L), 9, Optional.empty(), List.of());
        };
        OutcomeReporter reporter = new OutcomeReporter(new BlobUploader(HttpClient.newHttpClient(), new Redactor()),
                tasks, List::of, "machine-1", "1.0.9300.0", CLOCK);
        return new JournaledBackupJob(journal, backup, reporter, 4242).run(request(), new Cancellation());
    }

    private BackupRequest request() {
        PublicObject object = new PublicObject(List.of(), "token", new IncludedDisks(List.of(0), true, false, false,
                Optional.empty(), false, false, false, false), List.of());
        PublicSettings pub = new PublicSettings("snapshot", "task-1", "en-US", "", "", Optional.empty(),
                "microsoft.compute/virtualmachines", Optional.empty(), object);
        HandlerEnvironment environment = new HandlerEnvironment("Microsoft.Azure.RecoveryServices.VMSnapshotLinux",
                fs.getPath("/log"), fs.getPath("/ext/config"), statusFolder, fs.getPath("/ext/heartbeat.log"),
                Optional.empty());
        return new BackupRequest(7, new HandlerSettings(pub, new ProtectedSettings(List.of(), "", "", "",
                Optional.empty())), environment, Messages.forLocale("en-US"));
    }

    @Test
    void run_journalsTheBackupWritesItsStatusAndTaskAndThenForgetsIt() throws IOException {
        Files.createDirectories(statusFolder);

        BackupOutcome outcome = run();

        assertEquals(List.of("backup, journal begun for seq 7"), seen);
        assertEquals(ErrorCode.SUCCESS_APP_CONSISTENT, outcome.code());
        assertTrue(Files.exists(statusFolder.resolve("7.status")));
        assertEquals(StatusType.SUCCESS, tasks.find("task-1").orElseThrow().status());
        assertEquals(Optional.empty(), journal.read(), "a reported backup leaves nothing to recover");
    }

    @Test
    void run_whenTheStatusFileCannotBeWritten_leavesAFinishedJournalForRecoveryAndNoTaskRecord() throws IOException {
        Files.createDirectories(statusFolder.getParent());
        Files.writeString(statusFolder, "not a directory");

        assertThrows(IOException.class, this::run);

        JournalRecord left = journal.read().orElseThrow();
        assertTrue(left.has(JournalRecord.FINISHED), left.events().toString());
        assertFalse(tasks.find("task-1").isPresent(), "the task is recorded only after its status");
    }
}

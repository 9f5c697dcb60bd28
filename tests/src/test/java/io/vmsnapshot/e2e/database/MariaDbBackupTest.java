package io.vmsnapshot.e2e.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.fixtures.Command;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real MariaDB (Debian's package) with its data directory on a loop-mounted ext4 disk, under a
 * steady insert loop, backed up by the built package through the agent simulator and the host
 * snapshot emulator with the sample script of scripts/samples/mariadb, whose FLUSH TABLES WITH
 * READ LOCK outlives the pre-script; the data disk's snapshot is then restored to a fresh mount and
 * MariaDB started on it. The restored database must start, pass mariadb-check, and hold every
 * insert that committed before the pre-script returned - and none that was only due after it,
 * since the lock holds every write until the post-script. When the pre-script times out or the
 * post-script is missing, the file-system consistent fall-back must restore as well, with the
 * seed's error in the status.
 */
class MariaDbBackupTest {
    private static final String SAMPLE = "mariadb/vmsnapshot-mariadb.sh";
    private static final Duration PERIOD = Duration.ofMillis(5);
    private static final Duration BASELINE = Duration.ofSeconds(2);
    private static final Duration AFTER_BACKUP = Duration.ofMillis(500);

    @RegisterExtension
    final DatabaseVm vm = new DatabaseVm("mariadb");
    @TempDir
    Path sandbox;
    private MariaDbServer server;

    @BeforeEach
    void startMariaDbOnALoopDisk() throws Exception {
        server = vm.startMariaDb(sandbox);
    }

    @Test
    void backupUnderInserts_isApplicationConsistent_andTheRestoreHoldsExactlyTheInsertsBeforeTheLock() throws Exception {
        Path sample = SampleScripts.install(SAMPLE, vm.scripts());
        vm.configure(PluginConfig.both(sample, params(), 30));

        Outcome outcome = backupUnderLoad();

        BackupResult backup = outcome.backup();
        assertEquals("success", backup.status().status(), backup.summary());
        assertEquals(0, backup.status().code(), backup.status().message());
        assertEquals(2, backup.consistency(), "application consistent: " + backup.summary());
        assertFalse(Files.exists(vm.area().path("script-state").resolve("holder.pid")), "the post-script ended the lock's session");
        Instant preReturned = SampleScripts.readMark(vm.marks().resolve("pre")).orElseThrow();
        Instant postStarted = SampleScripts.readMark(vm.marks().resolve("post")).orElseThrow();
        assertTrue(outcome.commits().stream().anyMatch(c -> c.committed().isAfter(postStarted)), "inserts resumed after the post-script");
        Restore restore = restoreAndCheck(backup, outcome.commits(), preReturned);
        List<String> lateRows = restore.ledger().presentScheduledAfter(outcome.commits(), preReturned);
        assertEquals(List.of(), lateRows, "no insert due after the lock was taken is in the snapshot");
        List<String> output = vm.rig().scriptOutput();
        String released = output.stream().filter(l -> l.contains("released FLUSH TABLES WITH READ LOCK")).findFirst()
                .orElseThrow(() -> new AssertionError("the post-script says it released the lock: " + output));
        Figures.record("mariadb application-consistent", backup.summary()
                + " | lock: " + released.substring(released.indexOf("released")) + ", pre returned to post started "
                + Duration.between(preReturned, postStarted).toMillis() + " ms"
                + " | insert loop every " + PERIOD.toMillis() + " ms: before the backup "
                + Latencies.of(outcome.commits(), outcome.loadStarted(), backup.started())
                + ", during the backup " + Latencies.of(outcome.commits(), backup.started(), backup.ended())
                + " | restore: " + restore);
    }

    @Test
    void preScriptTimingOut_fallsBackToFileSystemConsistent_withPreScriptTimeout_andStillRestores() throws Exception {
        Path sample = SampleScripts.install(SAMPLE, vm.scripts());
        List<String> params = new ArrayList<>(params());
        // The customer let FTWRL wait longer than the extension gives the script: a long write
        // keeps FTWRL waiting, the plugin host kills the script's process group at 3 s.
        params.add("--lock-wait=60");
        vm.configure(PluginConfig.both(sample, params, 3));
        server.sql("CREATE TABLE app.batch (x int) ENGINE=InnoDB; INSERT INTO app.batch VALUES (1)");
        List<String> longWrite = new ArrayList<>(server.client());
        longWrite.addAll(List.of("-e", "UPDATE app.batch SET x = x + 1 WHERE SLEEP(30) = 0"));

        Outcome outcome = backupUnderLoad(() -> {
            // Started just before the backup, so it outlasts the pre-script's 3 s whatever the machine's speed;
            // the server's shutdown after the backup ends it.
            vm.keep(Processes.start(longWrite, vm.area().root().resolve("batch.out"))::destroyForcibly);
            awaitRunning("SLEEP(30)");
        });

        BackupResult backup = outcome.backup();
        backup.assertFileSystemConsistentFallback(308,
                "The pre-script timed out while taking the application-consistent backup.");
        assertTrue(vm.rig().scriptOutput().stream()
                        .anyMatch(l -> l.contains("no lock to release: the pre-script did not finish taking it")),
                "the post-script found the killed pre-script's lock gone: " + vm.rig().scriptOutput());
        Instant preStopped = SampleScripts.readMark(vm.marks().resolve("pre")).orElseThrow();
        Restore restore = restoreAndCheck(backup, outcome.commits(), preStopped);
        Figures.record("mariadb pre-script timing out", backup.summary()
                + " | inserts during the backup " + Latencies.of(outcome.commits(), backup.started(), backup.ended())
                + " | restore: " + restore + " | status message: " + backup.status().message());
    }

    @Test
    void missingPostScript_runsNoScriptAtAll_soNoLockIsTakenThatNobodyReleases() throws Exception {
        Path sample = SampleScripts.install(SAMPLE, vm.scripts());
        vm.configure(PluginConfig.both(sample, params(), 30).withPost(vm.scripts().resolve("vmsnapshot-mariadb-post.sh"), params()));

        Outcome outcome = backupUnderLoad();

        BackupResult backup = outcome.backup();
        backup.assertFileSystemConsistentFallback(303,
                "The post-script was not found at the location given in the VMSnapshotPluginConfig.json config file.");
        assertEquals(Optional.empty(), SampleScripts.readMark(vm.marks().resolve("pre")), "the pre-script did not run");
        Restore restore = restoreAndCheck(backup, outcome.commits(), backup.started());
        Figures.record("mariadb post-script missing", backup.summary()
                + " | inserts during the backup " + Latencies.of(outcome.commits(), backup.started(), backup.ended())
                + " | restore: " + restore + " | status message: " + backup.status().message());
    }

    private List<String> params() {
        return List.of("--socket=" + server.socket(), "--client=" + DatabasePackages.program("mariadb"),
                "--state-dir=" + vm.area().path("script-state"));
    }

    private void awaitRunning(String statement) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!server.sql("SHOW PROCESSLIST").contains(statement)) {
            assertTrue(Instant.now().isBefore(deadline), statement + " never showed in the process list");
            Thread.sleep(20);
        }
    }

    private record Outcome(BackupResult backup, List<Commit> commits, Instant loadStarted) {
    }

    private interface Step {
        void run() throws Exception;
    }

    private Outcome backupUnderLoad() throws Exception {
        return backupUnderLoad(() -> { });
    }

    private Outcome backupUnderLoad(Step beforeBackup) throws Exception {
        Instant loadStarted = Instant.now();
        List<Commit> commits;
        BackupResult backup;
        try (InsertLoop load = InsertLoop.start(server, PERIOD)) {
            Thread.sleep(BASELINE.toMillis());
            beforeBackup.run();
            backup = vm.rig().backup(Duration.ofMinutes(3));
            Thread.sleep(AFTER_BACKUP.toMillis());
            assertTrue(load.isRunning(), "the insert loop ran through the backup");
            commits = load.stop();
        }
        server.close();
        return new Outcome(backup, commits, loadStarted);
    }

    private record Restore(RestoredLedger ledger, long commitsBeforeCut, Duration startTime) {
        @Override
        public String toString() {
            return "started in " + startTime.toMillis() + " ms, mariadb-check OK, all " + commitsBeforeCut
                    + " inserts before the cut present (" + ledger.rows() + " rows restored)";
        }
    }

    private Restore restoreAndCheck(BackupResult backup, List<Commit> commits, Instant cut) throws Exception {
        LoopMount restoredDisk = vm.mountRestoredDataDisk(backup);
        Instant starting = Instant.now();
        MariaDbServer restored = vm.keep(MariaDbServer.startExisting(restoredDisk.mountPoint().resolve("mysql"),
                vm.area().directory("restored-run", MariaDbServer.OS_USER, false)));
        Duration startTime = Duration.between(starting, Instant.now());
        Command.Result check = restored.check();
        assertEquals(0, check.exitCode(), "mariadb-check on the restored database:\n" + check.output());
        assertFalse(check.output().matches("(?is).*\\b(error|corrupt)\\b.*"), "mariadb-check on the restored database:\n" + check.output());
        RestoredLedger ledger = RestoredLedger.parse(restored.sql(RestoredLedger.QUERY.formatted("app.ledger")));
        assertEquals(List.of(), ledger.gaps(), "the ledger is a gap-free prefix");
        assertEquals(List.of(), ledger.missingCommittedBefore(commits, cut), "inserts committed before " + cut + " restored");
        long before = RestoredLedger.countBefore(commits, cut);
        assertTrue(before > 0, "the load committed before the cut");
        restored.close();
        return new Restore(ledger, before, startTime);
    }
}

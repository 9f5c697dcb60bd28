package io.vmsnapshot.e2e.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.fixtures.Command;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Microsoft's enhanced pre/post framework with {@code workload_name = mariadb} (the MySQL path) on a
 * real MariaDB (Debian's package) under the insert loop: no script of the customer's, only
 * {@code /etc/azure/workload.conf}. The extension's own FLUSH TABLES WITH READ LOCK must make the
 * backup application consistent, the restored database must start and pass mariadb-check, hold
 * every insert committed before the lock and none scheduled after it; a database the extension
 * cannot reach gives a file-system-consistent backup with the reason, never a failed one.
 */
class MariaDbWorkloadTest {
    private static final Duration PERIOD = Duration.ofMillis(5);
    private static final Duration BASELINE = Duration.ofSeconds(2);
    private static final Duration AFTER_BACKUP = Duration.ofMillis(500);
    private static final Pattern LOCKED = Pattern.compile("lock held by connection \\d+ since ([0-9.]+) \\(server clock");

    @RegisterExtension
    final DatabaseVm vm = new DatabaseVm("mariadb-workload");
    @TempDir
    Path sandbox;
    private MariaDbServer server;

    @BeforeEach
    void startMariaDbOnALoopDisk() throws Exception {
        server = vm.startMariaDb(sandbox);
    }

    private void workloadConf(Path socket) throws IOException {
        Path conf = vm.rig().configDir().resolve("workload.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "[workload]\nworkload_name = mariadb\ncommand_path = "
                + DatabasePackages.program("mariadb").getParent() + "\ncredString = --socket=" + socket
                + " --user=root\nlinux_user = root\ntimeout = 60\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void backupUnderInserts_isApplicationConsistent_andTheRestoreHoldsExactlyTheInsertsBeforeTheLock() throws Exception {
        workloadConf(server.socket());

        Outcome outcome = backupUnderLoad();

        BackupResult backup = outcome.backup();
        assertEquals("success", backup.status().status(), backup.summary());
        assertEquals(0, backup.status().code(), backup.status().message());
        assertEquals(2, backup.consistency(), "application consistent: " + backup.summary());
        String log = vm.rig().handlerLog();
        Matcher locked = LOCKED.matcher(log);
        assertTrue(locked.find(), "the log says when the lock was taken:\n" + log);
        Instant lockedAt = Instant.ofEpochMilli(new BigDecimal(locked.group(1)).movePointRight(3).longValue());
        String held = log.lines().filter(l -> l.contains("writes held ")).findFirst()
                .orElseThrow(() -> new AssertionError("the log says how long writes were held:\n" + log));
        Restore restore = restoreAndCheck(backup, outcome.commits(), lockedAt);
        assertEquals(List.of(), restore.ledger().presentScheduledAfter(outcome.commits(), lockedAt),
                "no insert due after the lock was taken is in the snapshot");
        Figures.record("mariadb workload.conf application-consistent", backup.summary() + " | "
                + held.substring(held.indexOf("writes held ")).replaceAll("[\"].*", "")
                + " | insert loop every " + PERIOD.toMillis() + " ms: during the backup "
                + Latencies.of(outcome.commits(), backup.started(), backup.ended()) + " | restore: " + restore);
    }

    @Test
    void aDatabaseTheExtensionCannotReach_givesAFileSystemConsistentBackup_withTheReason() throws Exception {
        workloadConf(vm.area().path("no-such.sock"));

        Outcome outcome = backupUnderLoad();

        BackupResult backup = outcome.backup();
        backup.assertFileSystemConsistentFallback(506,
                "The database named in /etc/azure/workload.conf could not be reached");
        assertTrue(backup.status().message().contains("Can't connect to local server through socket"),
                "the client's own words: " + backup.status().message());
        assertTrue(outcome.commits().stream().anyMatch(c -> c.committed().isAfter(backup.ended())),
                "inserts went on: nothing was left locked");
    }

    /** A backup that died with the lock held (its session still sleeping in the server) must not block the next. */
    @Test
    void aLockLeftByADeadBackup_isEndedByTheNextBackup_beforeItTakesItsOwn() throws Exception {
        workloadConf(server.socket());
        List<String> deadHolder = new java.util.ArrayList<>(server.client());
        deadHolder.addAll(List.of("-e", "FLUSH TABLES WITH READ LOCK; SELECT 'LOCKED'; SELECT SLEEP(600) AS vmsnapshot_workload_hold"));
        Process dead = Processes.start(deadHolder, vm.area().root().resolve("dead-holder.out"));
        vm.keep(dead::destroyForcibly);
        awaitHeld();

        Outcome outcome = backupUnderLoad();

        BackupResult backup = outcome.backup();
        assertEquals(0, backup.status().code(), backup.status().message());
        assertEquals(2, backup.consistency(), "application consistent: " + backup.summary());
        assertTrue(vm.rig().handlerLog().contains("ended sessions left by an earlier backup"), vm.rig().handlerLog());
        assertTrue(outcome.commits().stream().anyMatch(c -> c.committed().isAfter(backup.ended())),
                "inserts went on after the backup");
    }

    private void awaitHeld() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!server.sql("SHOW PROCESSLIST").contains("vmsnapshot_workload_hold")) {
            assertTrue(Instant.now().isBefore(deadline), "the dead backup's lock never showed");
            Thread.sleep(20);
        }
    }

    private record Outcome(BackupResult backup, List<Commit> commits) {
    }

    private Outcome backupUnderLoad() throws Exception {
        List<Commit> commits;
        BackupResult backup;
        try (InsertLoop load = InsertLoop.start(server, PERIOD)) {
            Thread.sleep(BASELINE.toMillis());
            backup = vm.rig().backup(Duration.ofMinutes(3));
            Thread.sleep(AFTER_BACKUP.toMillis());
            assertTrue(load.isRunning(), "the insert loop ran through the backup");
            commits = load.stop();
        }
        server.close();
        return new Outcome(backup, commits);
    }

    private record Restore(RestoredLedger ledger, long commitsBeforeCut) {
        @Override
        public String toString() {
            return "mariadb-check OK, all " + commitsBeforeCut + " inserts before the lock present (" + ledger.rows()
                    + " rows restored)";
        }
    }

    private Restore restoreAndCheck(BackupResult backup, List<Commit> commits, Instant cut) throws Exception {
        LoopMount restoredDisk = vm.mountRestoredDataDisk(backup);
        MariaDbServer restored = vm.keep(MariaDbServer.startExisting(restoredDisk.mountPoint().resolve("mysql"),
                vm.area().directory("restored-run", MariaDbServer.OS_USER, false)));
        Command.Result check = restored.check();
        assertEquals(0, check.exitCode(), "mariadb-check on the restored database:\n" + check.output());
        assertFalse(check.output().matches("(?is).*\\b(error|corrupt)\\b.*"), check.output());
        RestoredLedger ledger = RestoredLedger.parse(restored.sql(RestoredLedger.QUERY.formatted("app.ledger")));
        assertEquals(List.of(), ledger.gaps(), "the ledger is a gap-free prefix");
        assertEquals(List.of(), ledger.missingCommittedBefore(commits, cut), "inserts committed before " + cut + " restored");
        long before = RestoredLedger.countBefore(commits, cut);
        assertTrue(before > 0, "the load committed before the lock");
        restored.close();
        return new Restore(ledger, before);
    }
}

package io.vmsnapshot.e2e.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.fixtures.Command;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real PostgreSQL (Debian's package) with its data directory on a loop-mounted ext4 disk,
 * under pgbench load, backed up by the built package through the agent simulator and the host
 * snapshot emulator with the sample script of scripts/samples/postgresql; the data disk's
 * snapshot is then restored to a fresh mount and PostgreSQL started on it. The restored database
 * must start, pass pg_amcheck, and hold every transaction that committed before the pre-script
 * returned - and when the script fails or is missing, the same must hold for the file-system
 * consistent fall-back, with the seed's error in the status.
 */
class PostgresBackupTest {
    private static final String SAMPLE = "postgresql/vmsnapshot-postgresql.sh";
    private static final int CLIENTS = 4;
    private static final int RATE = 400;
    private static final Duration BASELINE = Duration.ofSeconds(2);

    @RegisterExtension
    final DatabaseVm vm = new DatabaseVm("pg");
    @TempDir
    Path sandbox;
    private Path bin;
    private PostgresCluster cluster;

    @BeforeEach
    void startPostgresOnALoopDisk() throws Exception {
        bin = DatabasePackages.postgresBin();
        cluster = vm.startPostgres(bin, sandbox);
    }

    @Test
    void backupUnderPgbench_isApplicationConsistent_andTheRestoreHoldsEveryCommitBeforeThePreScriptReturned() throws Exception {
        Path sample = SampleScripts.install(SAMPLE, vm.scripts());
        vm.configure(PluginConfig.both(sample, params(cluster.socketDir()), 30));

        Outcome outcome = backupUnderLoad();

        BackupResult backup = outcome.backup();
        assertEquals("success", backup.status().status(), backup.summary());
        assertEquals(0, backup.status().code(), backup.status().message());
        assertEquals(2, backup.consistency(), "application consistent: " + backup.summary());
        assertEquals("Enable Succeeded with App Consistent Snapshot.", backup.status().message());
        Instant preReturned = SampleScripts.readMark(vm.marks().resolve("pre")).orElseThrow();
        Restore restore = restoreAndCheck(backup, outcome.load(), preReturned);
        Figures.record("postgresql application-consistent", backup.summary()
                + " | pgbench " + CLIENTS + " clients at " + RATE + " tps: before the backup "
                + Latencies.of(outcome.load().commits(), outcome.loadStarted(), backup.started())
                + ", during the backup " + Latencies.of(outcome.load().commits(), backup.started(), backup.ended())
                + " | restore: " + restore);
    }

    @Test
    void failingPreScript_fallsBackToFileSystemConsistent_withPreScriptExecutionFailed_andStillRestores() throws Exception {
        Path sample = SampleScripts.install(SAMPLE, vm.scripts());
        // A typo in the pre-script's socket directory: the sample exits 3 (cannot connect).
        vm.configure(PluginConfig.both(sample, params(cluster.socketDir()), 30)
                .withPre(sample, params(Path.of("/run/no-such-socket-dir"))));

        Outcome outcome = backupUnderLoad();

        BackupResult backup = outcome.backup();
        backup.assertFileSystemConsistentFallback(300,
                "The pre-script returned an error, so the backup may not be application consistent.");
        assertTrue(backup.status().message().contains("cannot query the server"), "the script's own words: " + backup.status().message());
        Instant preReturned = SampleScripts.readMark(vm.marks().resolve("pre")).orElseThrow();
        Restore restore = restoreAndCheck(backup, outcome.load(), preReturned);
        Figures.record("postgresql pre-script failing", backup.summary() + " | restore: " + restore + " | status message: " + backup.status().message());
    }

    @Test
    void missingPreScript_fallsBackToFileSystemConsistent_withPreScriptNotFound_andStillRestores() throws Exception {
        Path sample = SampleScripts.install(SAMPLE, vm.scripts());
        vm.configure(PluginConfig.both(sample, params(cluster.socketDir()), 30)
                .withPre(vm.scripts().resolve("vmsnapshot-postgresql-pre.sh"), params(cluster.socketDir())));

        Outcome outcome = backupUnderLoad();

        BackupResult backup = outcome.backup();
        backup.assertFileSystemConsistentFallback(302,
                "The pre-script was not found at the location given in the VMSnapshotPluginConfig.json config file.");
        assertEquals(Optional.empty(), SampleScripts.readMark(vm.marks().resolve("post")), "no script runs when one is missing");
        Restore restore = restoreAndCheck(backup, outcome.load(), backup.started());
        Figures.record("postgresql pre-script missing", backup.summary() + " | restore: " + restore + " | status message: " + backup.status().message());
    }

    private List<String> params(Path socketDir) {
        return List.of("--host=" + socketDir, "--port=" + PostgresCluster.PORT, "--psql=" + bin.resolve("psql"),
                "--state-dir=" + vm.area().path("script-state"));
    }

    private record Outcome(BackupResult backup, PgbenchLoad.Run load, Instant loadStarted) {
    }

    private Outcome backupUnderLoad() throws Exception {
        Instant loadStarted = Instant.now();
        PgbenchLoad.Run run;
        BackupResult backup;
        try (PgbenchLoad load = PgbenchLoad.start(cluster, vm.area().directory("load", PostgresCluster.OS_USER, false), CLIENTS, RATE)) {
            Thread.sleep(BASELINE.toMillis());
            backup = vm.rig().backup(Duration.ofMinutes(3));
            load.awaitLoggedPast(backup.ended(), Duration.ofSeconds(60));
            assertTrue(load.isRunning(), "pgbench ran through the backup");
            run = load.stop();
        }
        assertTrue(run.completeUntil().isAfter(backup.ended()), "pgbench's logs cover the backup: complete until "
                + run.completeUntil() + ", backup ended " + backup.ended());
        cluster.stop();
        return new Outcome(backup, run, loadStarted);
    }

    private record Restore(long rowsRestored, long commitsBeforeCut, Duration startTime) {
        @Override
        public String toString() {
            return "started in " + startTime.toMillis() + " ms, pg_amcheck OK, all " + commitsBeforeCut
                    + " commits before the cut present (" + rowsRestored + " ledger rows restored)";
        }
    }

    private Restore restoreAndCheck(BackupResult backup, PgbenchLoad.Run load, Instant cut) throws Exception {
        LoopMount restoredDisk = vm.mountRestoredDataDisk(backup);
        Instant starting = Instant.now();
        PostgresCluster restored = vm.keep(PostgresCluster.startExisting(bin, restoredDisk.mountPoint().resolve("pgdata"),
                vm.area().directory("restored-run", PostgresCluster.OS_USER, false)));
        Duration startTime = Duration.between(starting, Instant.now());
        Command.Result amcheck = restored.amcheck();
        assertEquals(0, amcheck.exitCode(), "pg_amcheck on the restored database:\n" + amcheck.output());
        RestoredLedger ledger = RestoredLedger.parse(restored.sql(RestoredLedger.QUERY.formatted("ledger")));
        assertEquals(List.of(), ledger.gaps(), "every client's ledger is a gap-free prefix");
        assertEquals(List.of(), ledger.missingCommittedBefore(load.commits(), cut), "commits before " + cut + " restored");
        long before = RestoredLedger.countBefore(load.commits(), cut);
        assertTrue(before > 0, "the load committed before the cut");
        restored.stop();
        return new Restore(ledger.rows(), before, startTime);
    }
}

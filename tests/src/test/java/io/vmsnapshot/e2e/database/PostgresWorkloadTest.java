package io.vmsnapshot.e2e.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Microsoft's enhanced pre/post framework with {@code workload_name = postgres} on a real
 * PostgreSQL (Debian's package) under pgbench: the extension's own holder session keeps a
 * non-exclusive backup (pg_backup_start) open across the freeze and the snapshot, connecting as
 * {@code linux_user = postgres}. The restored database must start, pass pg_amcheck and hold every
 * commit acknowledged before backup mode began; afterwards no session of ours is left and the
 * server is out of backup mode.
 */
class PostgresWorkloadTest {
    private static final int CLIENTS = 4;
    private static final int RATE = 400;
    private static final Duration BASELINE = Duration.ofSeconds(2);
    private static final Pattern STARTED = Pattern.compile("backup mode since ([0-9.]+) \\(server clock");

    @RegisterExtension
    final DatabaseVm vm = new DatabaseVm("pg-workload");
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
    void backupUnderPgbench_isApplicationConsistent_andTheRestoreHoldsEveryCommitBeforeBackupModeBegan() throws Exception {
        Path conf = vm.rig().configDir().resolve("workload.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "[workload]\nworkload_name = postgres\ncommand_path = " + bin + "\ncredString = -h "
                + cluster.socketDir() + " -p " + PostgresCluster.PORT + " -d postgres\nlinux_user = postgres\ntimeout = 60\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));

        PgbenchLoad.Run load;
        BackupResult backup;
        try (PgbenchLoad pgbench = PgbenchLoad.start(cluster, vm.area().directory("load", PostgresCluster.OS_USER, false),
                CLIENTS, RATE)) {
            Thread.sleep(BASELINE.toMillis());
            backup = vm.rig().backup(Duration.ofMinutes(3));
            pgbench.awaitLoggedPast(backup.ended(), Duration.ofSeconds(60));
            assertTrue(pgbench.isRunning(), "pgbench ran through the backup");
            load = pgbench.stop();
        }
        String sessionsLeft = cluster.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'vmsnapshot-workload'");
        cluster.stop();

        assertEquals("success", backup.status().status(), backup.summary());
        assertEquals(0, backup.status().code(), backup.status().message());
        assertEquals(2, backup.consistency(), "application consistent: " + backup.summary());
        assertEquals("0", sessionsLeft.strip(), "no session of the extension left");
        String log = vm.rig().handlerLog();
        Matcher started = STARTED.matcher(log);
        assertTrue(started.find(), "the log says when backup mode began:\n" + log);
        Instant cut = Instant.ofEpochMilli(new BigDecimal(started.group(1)).movePointRight(3).longValue());
        long before = restoreAndCheck(backup, load, cut);
        String held = log.lines().filter(l -> l.contains("backup mode held ")).findFirst()
                .orElseThrow(() -> new AssertionError("the log says how long backup mode lasted:\n" + log));
        Figures.record("postgresql workload.conf application-consistent", backup.summary() + " | "
                + held.substring(held.indexOf("backup mode held ")).replaceAll("[\"].*", "")
                + " | pgbench " + CLIENTS + " clients at " + RATE + " tps during the backup "
                + Latencies.of(load.commits(), backup.started(), backup.ended())
                + " | restore: pg_amcheck OK, all " + before + " commits before backup mode present");
    }

    private long restoreAndCheck(BackupResult backup, PgbenchLoad.Run load, Instant cut) throws IOException {
        LoopMount restoredDisk = vm.mountRestoredDataDisk(backup);
        PostgresCluster restored = vm.keep(PostgresCluster.startExisting(bin, restoredDisk.mountPoint().resolve("pgdata"),
                vm.area().directory("restored-run", PostgresCluster.OS_USER, false)));
        Command.Result amcheck = restored.amcheck();
        assertEquals(0, amcheck.exitCode(), "pg_amcheck on the restored database:\n" + amcheck.output());
        RestoredLedger ledger = RestoredLedger.parse(restored.sql(RestoredLedger.QUERY.formatted("ledger")));
        assertEquals(List.of(), ledger.gaps(), "every client's ledger is a gap-free prefix");
        assertEquals(List.of(), ledger.missingCommittedBefore(load.commits(), cut), "commits before " + cut + " restored");
        long before = RestoredLedger.countBefore(load.commits(), cut);
        assertTrue(before > 0, "the load committed before backup mode");
        restored.stop();
        return before;
    }
}

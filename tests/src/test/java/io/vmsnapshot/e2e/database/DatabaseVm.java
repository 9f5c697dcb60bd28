package io.vmsnapshot.e2e.database;

import io.vmsnapshot.e2e.fixtures.Cleanup;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The VM of one database backup test, as a JUnit extension the test class registers: a run area,
 * the ext4 data disk the database lives on, and the dirs for the sample script and its test marks.
 * The test's {@code @BeforeEach} starts its own database on {@link #dataDisk()}, hands it to
 * {@link #keep}, then starts the {@link BackupRig} ({@link #startPostgres} and
 * {@link #startMariaDb} do all three). After the test it closes last first - the rig, the
 * database, the disk, the area - also after a set-up that failed half way, so a test never leaves
 * a database running on a mounted loop device.
 */
final class DatabaseVm implements BeforeEachCallback, AfterEachCallback {
    private static final long DISK_MIB = 256;

    private final String name;
    private Cleanup opened;
    private RunArea area;
    private LoopMount dataDisk;
    private Path scripts;
    private Path marks;
    private BackupRig rig;

    /** {@code name} starts the run area's dir name, to tell the tests' areas apart. */
    DatabaseVm(String name) {
        this.name = name;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        opened = new Cleanup();
        area = opened.add(RunArea.create(name));
        dataDisk = opened.add(LoopMount.create(LoopMount.FsType.EXT4, DISK_MIB, area.path("data")));
        scripts = area.directory("scripts", "root", false);
        marks = area.directory("marks", "root", false);
    }

    RunArea area() {
        return area;
    }

    LoopMount dataDisk() {
        return dataDisk;
    }

    /** Where the test installs the sample script. */
    Path scripts() {
        return scripts;
    }

    /** Where the marking wrappers write when the pre- and post-script ran. */
    Path marks() {
        return marks;
    }

    BackupRig rig() {
        return rig;
    }

    /** Something the test opened on the VM (the database, a client), closed before what was opened earlier. */
    <T extends AutoCloseable> T keep(T resource) {
        return opened.add(resource);
    }

    /**
     * The agent and the host snapshot emulator, with the agent's dirs and the snapshots in {@code sandbox}
     * (not in the run area: that may be /run, which is memory); started once the database runs, so closed before it.
     */
    BackupRig startRig(Path sandbox) throws IOException {
        rig = opened.add(BackupRig.start(sandbox, dataDisk));
        return rig;
    }

    /**
     * A PostgreSQL cluster of {@code bin} on the data disk, prepared for pgbench, then the rig: how
     * every PostgreSQL backup test begins.
     */
    PostgresCluster startPostgres(Path bin, Path sandbox) throws Exception {
        PostgresCluster cluster = keep(PostgresCluster.initialize(bin, dataDisk.mountPoint().resolve("pgdata"),
                area.directory("run", PostgresCluster.OS_USER, false)));
        PgbenchLoad.prepare(cluster);
        startRig(sandbox);
        return cluster;
    }

    /** A MariaDB server on the data disk, prepared for the insert loop, then the rig: how every MariaDB backup test begins. */
    MariaDbServer startMariaDb(Path sandbox) throws Exception {
        DatabasePackages.mariadb();
        MariaDbServer server = keep(MariaDbServer.initialize(dataDisk.mountPoint().resolve("mysql"),
                area.directory("run", MariaDbServer.OS_USER, false)));
        InsertLoop.prepare(server);
        startRig(sandbox);
        return server;
    }

    /** The config, with the test's marking wrappers in front of the configured scripts that exist. */
    void configure(PluginConfig config) throws Exception {
        SampleScripts.withMarks(config, marks, scripts).writeInto(rig.configDir());
    }

    /** A copy of the backup's data disk snapshot, mounted at {@code restored} in the run area: what a restore gives. */
    LoopMount mountRestoredDataDisk(BackupResult backup) throws IOException {
        Path image = backup.dataDiskSnapshot().orElseThrow(() -> new AssertionError("no data disk snapshot: " + backup.summary()));
        return opened.add(LoopMount.mountCopy(image, LoopMount.FsType.EXT4, area.path("restored")));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (opened != null) {
            opened.close();
        }
    }
}

package io.vmsnapshot.e2e.database;

import io.vmsnapshot.e2e.fixtures.Cleanup;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The VM of one database backup test: a run area, the ext4 data disk the database lives on, the
 * dirs for the sample script and its test marks, and the {@link BackupRig} once the database runs.
 * The test starts its own database on {@link #dataDisk()} and hands it to {@link #keep}. Closing
 * closes last first - the rig, the database, the disk, the area - also after a set-up that failed
 * half way, so a test never leaves a database running on a mounted loop device.
 */
final class DatabaseVm implements AutoCloseable {
    private static final long DISK_MIB = 256;

    private final Cleanup opened = new Cleanup();
    private final Path sandbox;
    private RunArea area;
    private LoopMount dataDisk;
    private Path scripts;
    private Path marks;
    private BackupRig rig;

    private DatabaseVm(Path sandbox) {
        this.sandbox = sandbox;
    }

    /** {@code sandbox} is the test's own dir for the agent and the snapshots; {@code name} names its run area. */
    static DatabaseVm create(String name, Path sandbox) throws Exception {
        DatabaseVm vm = new DatabaseVm(sandbox);
        try {
            vm.area = vm.opened.add(RunArea.create(name));
            vm.dataDisk = vm.opened.add(LoopMount.create(LoopMount.FsType.EXT4, DISK_MIB, vm.area.path("data")));
            vm.scripts = vm.area.directory("scripts", "root", false);
            vm.marks = vm.area.directory("marks", "root", false);
        } catch (Exception e) {
            vm.closeAfter(e);
            throw e;
        }
        return vm;
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

    /** The agent and the host snapshot emulator; started once the database runs, so closed before it. */
    BackupRig startRig() throws IOException {
        rig = opened.add(BackupRig.start(sandbox, dataDisk));
        return rig;
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
    public void close() throws Exception {
        opened.close();
    }

    private void closeAfter(Exception failure) {
        try {
            close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}

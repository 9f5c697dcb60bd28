package io.vmsnapshot.e2e.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.agent.Settings;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import io.vmsnapshot.e2e.fixtures.WriteProbe;
import io.vmsnapshot.e2e.storage.FaultProxy;
import io.vmsnapshot.freeze.FreezeRecordStore;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The freeze as the customer lives it, through the built package: everything the handler writes
 * (the agent's lib dir with the package, the status folder, the log folder) lies on a file system
 * the backup freezes, as on a VM whose root is frozen. The snapshot calls go through a FaultProxy,
 * so that a test can make the freeze window as long as it needs to look inside it.
 */
class BackupFreezeTest {
    /**
     * The freeze timeout here is the default 60 s: a window or a thaw well inside it proves that
     * nothing waited for the auto-thaw. How short they are is for the benchmarks; these bounds
     * leave room for cold JVMs and slow disks on a loaded machine.
     */
    private static final Duration WELL_BEFORE_THE_AUTO_THAW = Duration.ofSeconds(20);
    /** A write blocked this long is held by a freeze, not by a busy disk. */
    private static final Duration FROZEN_PROBE = Duration.ofSeconds(1);
    /** How long a blocked writer may take to finish once its file system is thawed. */
    private static final Duration RESUMES = Duration.ofSeconds(10);

    @RegisterExtension
    static final BackupVm vm = new BackupVm("freeze");
    private static LoopMount ext4;
    private static LoopMount xfs;
    private static AgentSimulator agent;
    private static FreezeRig rig;
    private static int seq;

    @BeforeAll
    static void installOnTheMountToFreeze() throws IOException {
        ext4 = vm.mount(LoopMount.FsType.EXT4);
        xfs = vm.mount(LoopMount.FsType.XFS);
        // The package is ~60 MB: the 320 MiB xfs holds it, the 32 MiB ext4 would not.
        rig = FreezeRig.install(vm, 2, xfs.mountPoint().resolve("vm"), List.of(ext4, xfs));
        agent = rig.agent();
    }

    @AfterEach
    void noFaultsLeft() throws Exception {
        rig.proxy().clear();
    }

    private static Settings backup() {
        return rig.backup(List.of(0, 1));
    }

    @Test
    void backup_withLibStatusAndLogOnTheFrozenMount_completes_frozenOnlyForTheSnapshotCalls() throws Exception {
        int mine = ++seq;
        Instant before = Instant.now();

        CommandResult enable = agent.enable(mine, backup());

        assertEquals(0, enable.exitCode(), enable.toString());
        AgentStatus status = BackupSandbox.awaitTerminal(agent, mine);
        assertEquals(0, status.code(), status.message());
        JsonNode blob = BackupSandbox.carriedBlobDocument(status).get(0).get("status");
        assertEquals(2, blob.get("storageDetails").get("partitionCount").asInt(), "both mounts frozen");
        // The used size is statvfs of the two listed mounts; the worker writes a little more to the
        // xfs (its log, the status) after it measured, so the test's own statvfs may be slightly higher.
        JsonNode storage = blob.get("storageDetails");
        assertFalse(storage.get("isSizeComputationFailed").asBoolean(true), storage.toString());
        long reported = storage.get("totalUsedSizeInBytes").asLong();
        long now = used(ext4.mountPoint()) + used(xfs.mountPoint());
        assertTrue(reported > used(ext4.mountPoint()) && Math.abs(now - reported) < 4L * 1024 * 1024,
                "reported " + reported + ", statvfs now " + now);
        long window = Long.parseLong(BackupEndToEndTest.telemetry(blob).get("freezeWindowMillis"));
        assertTrue(window < WELL_BEFORE_THE_AUTO_THAW.toMillis(),
                "frozen for the snapshot calls, not until a timeout: " + window + " ms");
        assertTrue(Duration.between(before, Instant.now()).compareTo(Duration.ofSeconds(45)) < 0,
                "no wait for the helper's auto-thaw");
        assertEquals(List.of("pre e2e", "post success"), vm.sandbox().scriptRuns());
        String log = Files.readString(agent.handlerLogDir().resolve("extension.log"));
        assertTrue(log.contains("freeze-window-end"), "the held log lines reached the log after the thaw");
    }

    private static long used(Path mountPoint) throws IOException {
        FileStore store = Files.getFileStore(mountPoint);
        return store.getTotalSpace() - store.getUnallocatedSpace();
    }

    @Test
    void writerToTheMount_blocksDuringTheFreezeWindow_andResumesAfterTheThaw() throws Exception {
        int mine = ++seq;
        rig.proxy().always(FaultProxy.Request::isSnapshot, FaultProxy.delay(Duration.ofSeconds(2)));

        agent.enable(mine, backup());

        try (WriteProbe writer = awaitFrozen(ext4.mountPoint())) {
            AgentStatus status = BackupSandbox.awaitTerminal(agent, mine);
            assertTrue(writer.completesWithin(writer.elapsed().plus(RESUMES)), "the writer resumed");
            assertEquals(0, status.code(), status.message());
            long window = Long.parseLong(BackupEndToEndTest.telemetry(
                    BackupSandbox.carriedBlobDocument(status).get(0).get("status")).get("freezeWindowMillis"));
            assertTrue(window >= 1_500, "the window covered the slow snapshot: " + window + " ms");
        }
        assertTrue(WriteProbe.isThawed(xfs.mountPoint()));
    }

    @Test
    void killingTheWorkerWhileFrozen_thawsTheMountsAtOnce() throws Exception {
        int mine = ++seq;
        rig.proxy().always(FaultProxy.Request::isSnapshot, FaultProxy.delay(Duration.ofSeconds(30)));
        agent.enable(mine, backup());

        try (WriteProbe writer = awaitFrozen(ext4.mountPoint())) {
            List<Long> workers = BackupSandbox.workers(agent.baseDir());
            assertFalse(workers.isEmpty(), "a worker holds the freeze");
            workers.forEach(BackupSandbox::kill9);

            // The snapshot call hangs for 30 s and the auto-thaw is at 60 s: only the helper seeing its
            // parent die thaws this early.
            assertTrue(writer.completesWithin(writer.elapsed().plus(RESUMES)),
                    "the helper saw its parent die and thawed");
        }
        assertTrue(WriteProbe.isThawed(xfs.mountPoint()), "xfs thawed too");
        BackupSandbox.awaitNoWorker(agent.baseDir(), BackupSandbox.BACKUP_DONE);
        awaitGone(agent.baseDir());
    }

    // A killed or stopped freeze helper: BackupHelperSignalTest.

    /** A writer blocked on the mount: proof that the backup's freeze window is open. */
    static WriteProbe awaitFrozen(Path mountPoint) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            WriteProbe probe = WriteProbe.start(mountPoint);
            if (probe.blockedFor(FROZEN_PROBE)) {
                return probe;
            }
            probe.close();
            Thread.sleep(20);
        }
        throw new AssertionError(mountPoint + " was not frozen within 30 s");
    }

    private static void awaitGone(Path baseDir) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!BackupSandbox.freezeHelpers(baseDir).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("freeze helper still running: " + BackupSandbox.freezeHelpers(baseDir));
            }
            Thread.sleep(50);
        }
    }
}

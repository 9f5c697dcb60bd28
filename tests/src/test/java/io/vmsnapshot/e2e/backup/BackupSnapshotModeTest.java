package io.vmsnapshot.e2e.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.agent.SettingsBuilder;
import io.vmsnapshot.e2e.fixtures.Command;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import io.vmsnapshot.e2e.storage.HostSnapshotEmulator;
import io.vmsnapshot.freeze.FreezeEligibility;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code customSettings.takeSnapshotFrom} through the built package, with the WireServer's host
 * snapshot emulated ({@code VMSNAPSHOT_WIRESERVER_URL}): the VM's data disks are the images of the
 * frozen loop mounts, so a host snapshot is a copy of an image taken inside the freeze window, which
 * a test can restore and read.
 */
class BackupSnapshotModeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final BackupVm vm = new BackupVm("modes");
    private static LoopMount ext4;
    private static LoopMount xfs;
    private static HostSnapshotEmulator host;
    private static AgentSimulator agent;
    private static int seq;

    @BeforeAll
    static void install() throws IOException {
        ext4 = vm.mount(LoopMount.FsType.EXT4);
        xfs = vm.mount(LoopMount.FsType.XFS);
        Path osImage = vm.sandbox().workDir().resolve("os.img");
        Files.write(osImage, new byte[4096]);
        host = vm.keep(HostSnapshotEmulator.start(Map.of(0, ext4.image(), 1, xfs.image(), HostSnapshotEmulator.OS_DISK, osImage),
                vm.sandbox().workDir().resolve("host-snapshots"), Clock.systemUTC()));
        agent = vm.install(Map.of(
                FreezeEligibility.FREEZE_MOUNTS_ENV, ext4.mountPoint() + ":" + xfs.mountPoint(),
                "VMSNAPSHOT_WIRESERVER_URL", host.baseUrl().toString()));
    }

    @AfterEach
    void reset() throws Exception {
        host.reset();
    }

    @Test
    void onlyHost_takesTheSnapshotInTheFreezeWindow_andARestoredImageHoldsWhatWasWrittenBefore() throws Exception {
        String ext4Text = "ext4 before the backup " + UUID.randomUUID();
        String xfsText = "xfs before the backup " + UUID.randomUUID();
        // Not synced: only the freeze puts it on the image the host copies.
        Files.writeString(ext4.mountPoint().resolve("before.txt"), ext4Text);
        Files.writeString(xfs.mountPoint().resolve("before.txt"), xfsText);

        String taskId = UUID.randomUUID().toString();

        AgentStatus status = backup(SettingsBuilder.snapshot().taskId(taskId).includedDisks(List.of(0, 1), true)
                .customSettings(JSON.createObjectNode().put("takeSnapshotFrom", "onlyHost")));

        assertEquals(0, status.code(), status.message());
        JsonNode blob = BackupSandbox.carriedBlobDocument(status).get(0).get("status");
        assertEquals("backupHostService", BackupEndToEndTest.telemetry(blob).get("snapshotCreator"));
        List<HostSnapshotEmulator.Recorded> doSnapshots = host.requests().stream()
                .filter(r -> r.endpoint().equals("dosnapshot") && r.body().path("taskId").asText().equals(taskId))
                .toList();
        assertEquals(1, doSnapshots.size(), host.requests().toString());
        assertEquals("[0,1,-1]", doSnapshots.get(0).body().get("diskIds").toString());
        JsonNode infos = blob.get("snapshotInfo");
        assertEquals(3, infos.size(), infos.toString());
        assertEquals(ext4Text, readRestored(infos.get(0).get("snapshotUri").asText(), "ext4"));
        assertEquals(xfsText, readRestored(infos.get(1).get("snapshotUri").asText(), "xfs"));
        assertEquals(List.of("pre e2e", "post success"), vm.sandbox().scriptRuns());
    }

    @Test
    void firstHostThenGuest_withTheHostServiceDown_snapshotsFromTheGuestInstead() throws Exception {
        host.answerPreSnapshot(500, "Internal Server Error");
        AzuriteDisks disks = AzuriteDisks.create(2);
        String taskId = UUID.randomUUID().toString();

        AgentStatus status = backup(SettingsBuilder.snapshot().taskId(taskId).includedDisks(List.of(0, 1), true)
                .blobSasUris(disks.sasUris())
                .customSettings(JSON.createObjectNode().put("takeSnapshotFrom", "firstHostThenGuest")));

        assertEquals(0, status.code(), status.message());
        JsonNode blob = BackupSandbox.carriedBlobDocument(status).get(0).get("status");
        assertEquals("guestExtension", BackupEndToEndTest.telemetry(blob).get("snapshotCreator"));
        List<HostSnapshotEmulator.Recorded> mine = host.requests().stream()
                .filter(r -> r.body().path("taskId").asText().equals(taskId)).toList();
        assertTrue(mine.stream().anyMatch(r -> r.endpoint().equals("presnapshot")), "the host was asked first");
        assertTrue(mine.stream().noneMatch(r -> r.endpoint().equals("dosnapshot")), mine.toString());
        for (String disk : disks.blobs()) {
            assertEquals(1, disks.snapshots(disk).size(), disk + " has its guest snapshot");
        }
    }

    private static AgentStatus backup(SettingsBuilder request) throws Exception {
        int mine = ++seq;
        CommandResult enable = agent.enable(mine, request.build());
        assertEquals(0, enable.exitCode(), enable.toString());
        return BackupSandbox.awaitTerminal(agent, mine);
    }

    /**
     * The restore: the snapshot's image on a read-only loop device, mounted read-only. An ext4
     * copied while not frozen would need journal recovery, which a read-only device refuses; and
     * the file was never synced, so only the freeze can have put it into the image.
     */
    private static String readRestored(String snapshotUri, String fsType) throws IOException {
        Path image = host.snapshotFile(snapshotUri).orElseThrow(() -> new AssertionError("no image for " + snapshotUri));
        Path mountPoint = Files.createDirectories(vm.sandbox().workDir().resolve("restore-" + fsType));
        String device = Command.check(30, "losetup", "--find", "--show", "--read-only", image.toString()).output();
        try {
            // The copy has the live file system's UUID, which xfs refuses twice unless told. A frozen
            // xfs has its log covered, not unmounted: replaying the covering record needs a writable
            // device, and skipping it loses nothing. A frozen ext4 is clean and needs no such help.
            String options = fsType.equals("xfs") ? "ro,nouuid,norecovery" : "ro";
            Command.check(60, "mount", "-t", fsType, "-o", options, device, mountPoint.toString());
            try {
                return Files.readString(mountPoint.resolve("before.txt"));
            } finally {
                Command.check(60, "umount", mountPoint.toString());
            }
        } finally {
            Command.check(30, "losetup", "-d", device);
        }
    }
}

package io.vmsnapshot.e2e.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.agent.SettingsBuilder;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import io.vmsnapshot.e2e.fixtures.WriteProbe;
import io.vmsnapshot.e2e.storage.FaultProxy;
import io.vmsnapshot.freeze.FreezeEligibility;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Storage faults through the built package: each ends in the code the service acts on, with a
 * message that names the disk and never its token, and each leaves the file systems thawed and the
 * application un-quiesced (the post-script ran and was told the snapshot failed). vmbackup.conf
 * sets the freeze timeout to 10 s, so retried faults give up after the shortest budget (5 s).
 */
class BackupFaultTest {
    @RegisterExtension
    static final BackupVm vm = new BackupVm("faults");
    private static LoopMount ext4;
    private static AgentSimulator agent;
    private static FaultProxy proxy;
    private static int seq;

    @BeforeAll
    static void install() throws IOException {
        ext4 = vm.mount(LoopMount.FsType.EXT4);
        vm.sandbox().vmBackupConf("timeout = 10");
        proxy = vm.keep(FaultProxy.start(AzuriteDisks.create(0).azurite().blobEndpoint()));
        agent = vm.install(Map.of(FreezeEligibility.FREEZE_MOUNTS_ENV, ext4.mountPoint().toString()));
    }

    @AfterEach
    void reset() throws Exception {
        proxy.clear();
    }

    @Test
    void snapshotCountExceeded_reports85() throws Exception {
        AzuriteDisks disks = AzuriteDisks.create(2);
        proxy.always(FaultProxy.Request::isSnapshot, FaultProxy.snapshotCountExceeded());

        AgentStatus status = backup(disks.sasUris(proxy::via));

        assertEquals(85, status.code(), status.message());
        assertTrue(status.message().contains("StatusCode.FailedSnapshotLimitReached,"), status.message());
        assertThawedAndPostScriptToldFailure();
    }

    @Test
    void snapshotRateExceeded_isRetriedWithinTheBudget_thenReports173() throws Exception {
        AzuriteDisks disks = AzuriteDisks.create(2);
        proxy.always(FaultProxy.Request::isSnapshot, FaultProxy.snapshotRateExceeded());
        Instant start = Instant.now();

        AgentStatus status = backup(disks.sasUris(proxy::via));

        assertEquals(173, status.code(), status.message());
        assertTrue(status.message().contains("StatusCode.FailedRetryableSnapshotRateExceeded,"), status.message());
        long snapshotCalls = proxy.requests().stream().filter(FaultProxy.Request::isSnapshot).count();
        assertTrue(snapshotCalls > 3, "throttling is retried: " + snapshotCalls + " calls for 3 disks");
        assertTrue(Duration.between(start, Instant.now()).compareTo(Duration.ofSeconds(30)) < 0, "gave up in budget");
        assertThawedAndPostScriptToldFailure();
    }

    @Test
    void noDiskReachable_reports76_namingEachDisk() throws Exception {
        AzuriteDisks disks = AzuriteDisks.create(2);
        int closedPort = closedPort();
        List<String> sasUris = disks.sasUris(uri -> uri.replace(":" + disks.azurite().port() + "/", ":" + closedPort + "/"));

        AgentStatus status = backup(sasUris);

        assertEquals(76, status.code(), status.message());
        for (int disk = 1; disk <= 3; disk++) {
            assertTrue(status.message().contains("disk " + disk + " (http://127.0.0.1:" + closedPort + "/"), status.message());
        }
        assertTrue(status.message().contains("cannot connect"), status.message());
        assertNoToken(status, sasUris);
        assertThawedAndPostScriptToldFailure();
    }

    @Test
    void expiredSas_ofOneDisk_failsTheBackup_namingThatDisk_withoutItsToken() throws Exception {
        AzuriteDisks disks = AzuriteDisks.create(2);
        List<String> sasUris = new ArrayList<>(disks.sasUris());
        sasUris.set(1, disks.azurite().blobSasUri(disks.container(), "lun0.vhd", "rw", Instant.now().minusSeconds(3600)));

        AgentStatus status = backup(sasUris);

        assertEquals(76, status.code(), status.message());
        assertTrue(status.message().contains("disk 2 (" + disks.blobUrl("lun0.vhd") + "): HTTP 403"), status.message());
        assertTrue(status.message().contains("SAS URI (expired"), status.message());
        assertFalse(status.message().contains("disk 1 (") || status.message().contains("disk 3 ("), status.message());
        JsonNode health = BackupSandbox.carriedBlobDocument(status).get(0).get("status").get("vmHealthInfo");
        assertEquals(761, health.get("vmHealthStatusCode").asInt(), "some disks failed");
        assertEquals(1, disks.snapshots("os.vhd").size(), "the other disks were snapshotted");
        assertNoToken(status, sasUris);
        assertThawedAndPostScriptToldFailure();
    }

    @Test
    void vanishedDisk_failsTheBackup_sayingTheBlobIsGone() throws Exception {
        AzuriteDisks disks = AzuriteDisks.create(2);
        List<String> sasUris = disks.sasUris();
        disks.delete("lun1.vhd");

        AgentStatus status = backup(sasUris);

        assertEquals(76, status.code(), status.message());
        assertTrue(status.message().contains("disk 3 (" + disks.blobUrl("lun1.vhd") + "): HTTP 404 BlobNotFound"),
                status.message());
        assertTrue(status.message().contains("the blob does not exist"), status.message());
        assertNoToken(status, sasUris);
        assertThawedAndPostScriptToldFailure();
    }

    private static AgentStatus backup(List<String> sasUris) throws Exception {
        int mine = ++seq;
        CommandResult enable = agent.enable(mine, SettingsBuilder.snapshot().includedDisks(List.of(0, 1), true)
                .blobSasUris(sasUris).build());
        assertEquals(0, enable.exitCode(), enable.toString());
        AgentStatus status = BackupSandbox.awaitTerminal(agent, mine);
        assertEquals("success", status.status(), "an ARM VM's file status is success; the code tells: " + status);
        return status;
    }

    private static void assertThawedAndPostScriptToldFailure() throws IOException {
        assertTrue(WriteProbe.isThawed(ext4.mountPoint()), "thawed");
        assertEquals(List.of("pre e2e", "post failed"), vm.sandbox().scriptRuns());
    }

    private static void assertNoToken(AgentStatus status, List<String> sasUris) throws IOException {
        BackupSandbox.assertNoSecret(AzuriteDisks.signatures(sasUris), List.of(agent.handlerLogDir()),
                List.of(status.message(), status.substatus().get(0).name()));
        assertFalse(status.message().contains("sig="), status.message());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}

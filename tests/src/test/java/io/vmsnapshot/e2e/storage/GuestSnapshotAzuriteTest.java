package io.vmsnapshot.e2e.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.snapshot.GuestSnapshotter;
import io.vmsnapshot.snapshot.MetadataEntry;
import io.vmsnapshot.snapshot.SnapshotInfo;
import io.vmsnapshot.snapshot.SnapshotOutcome;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The guest snapshotter against a real Azurite: what storage really accepts and records. */
class GuestSnapshotAzuriteTest {
    private static final long DISK_BYTES = 64 * 1024;

    private final Azurite azurite = Azurite.shared();
    private final GuestSnapshotter snapshotter = new GuestSnapshotter(HttpClient.newHttpClient(), Clock.systemUTC());
    private String container;

    @BeforeEach
    void createContainer() {
        container = "vhds-" + UUID.randomUUID().toString().substring(0, 8);
        azurite.createContainer(container);
    }

    private String disk(String name, byte fill) {
        azurite.createPageBlob(container, name, DISK_BYTES);
        byte[] page = new byte[4096];
        Arrays.fill(page, fill);
        azurite.writePages(container, name, 0, page);
        return azurite.blobSasUri(container, name, "rw", Instant.now().plus(Duration.ofHours(1)));
    }

    private static Instant budget() {
        return Instant.now().plusSeconds(20);
    }

    @Test
    void snapshot_ofTwoPageBlobs_createsSnapshotsCarryingTheBackupMetadata() {
        List<String> disks = List.of(disk("os.vhd", (byte) 1), disk("data0.vhd", (byte) 2));
        List<MetadataEntry> metadata = List.of(new MetadataEntry("backupId", "job-42"), new MetadataEntry("taskId", "t-1"));

        SnapshotOutcome outcome = snapshotter.snapshot(disks, metadata, false, budget());

        assertTrue(outcome.isSuccess(), outcome.detail());
        for (String name : List.of("os.vhd", "data0.vhd")) {
            List<BlobSnapshot> snapshots = azurite.listSnapshots(container, name);
            assertEquals(1, snapshots.size(), name);
            assertEquals(Map.of("backupId", "job-42", "taskId", "t-1"), snapshots.get(0).metadata());
        }
        SnapshotInfo os = outcome.snapshots().get(0);
        String timestamp = os.snapshotUri().substring(os.snapshotUri().indexOf("?snapshot=") + "?snapshot=".length());
        assertEquals(azurite.blobUrl(container, "os.vhd"), os.blobUri());
        assertEquals(azurite.listSnapshots(container, "os.vhd").get(0).snapshot(), timestamp);
    }

    @Test
    void snapshot_keepsTheContentAsItWasWhenTaken() {
        String sas = disk("os.vhd", (byte) 7);

        SnapshotOutcome outcome = snapshotter.snapshot(List.of(sas), List.of(), false, budget());
        byte[] later = new byte[4096];
        Arrays.fill(later, (byte) 9);
        azurite.writePages(container, "os.vhd", 0, later);

        String snapshot = azurite.listSnapshots(container, "os.vhd").get(0).snapshot();
        byte[] content = azurite.readBlob(container, "os.vhd", snapshot);
        assertTrue(outcome.isSuccess(), outcome.detail());
        assertEquals(DISK_BYTES, content.length);
        assertArrayEquals(Arrays.copyOf(new byte[] {7, 7, 7, 7}, 4), Arrays.copyOf(content, 4));
        assertEquals(9, azurite.readBlob(container, "os.vhd", null)[0]);
    }

    @Test
    void snapshot_withAnExpiredSas_namesTheDiskAndNotTheToken() {
        disk("data1.vhd", (byte) 3);
        String expired = azurite.blobSasUri(container, "data1.vhd", "rw", Instant.now().minus(Duration.ofMinutes(5)));
        String signature = expired.substring(expired.indexOf("sig=") + 4);

        SnapshotOutcome outcome = snapshotter.snapshot(List.of(disk("os.vhd", (byte) 1), expired), List.of(), false, budget());

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK), outcome.error());
        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_RESTRICTED_NETWORK), outcome.healthCode());
        assertTrue(outcome.detail().contains("disk 2 (" + azurite.blobUrl(container, "data1.vhd") + "): HTTP 403"), outcome.detail());
        assertTrue(outcome.detail().contains("expired"), outcome.detail());
        assertFalse(outcome.toString().contains(signature), outcome.toString());
        assertFalse(outcome.toString().contains(java.net.URLDecoder.decode(signature, java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(0, azurite.listSnapshots(container, "data1.vhd").size());
    }

    @Test
    void snapshot_ofADeletedDisk_reportsThatTheBlobDoesNotExist() {
        String missing = azurite.blobSasUri(container, "never-created.vhd", "rw", Instant.now().plus(Duration.ofHours(1)));

        SnapshotOutcome outcome = snapshotter.snapshot(List.of(missing), List.of(), false, budget());

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK), outcome.error());
        assertTrue(outcome.detail().contains("disk 1 (" + azurite.blobUrl(container, "never-created.vhd") + "): HTTP 404"),
                outcome.detail());
    }
}

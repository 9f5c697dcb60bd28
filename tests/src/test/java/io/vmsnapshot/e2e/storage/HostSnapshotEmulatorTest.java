package io.vmsnapshot.e2e.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.snapshot.GuestSnapshotter;
import io.vmsnapshot.snapshot.HostSnapshotter;
import io.vmsnapshot.snapshot.MetadataEntry;
import io.vmsnapshot.snapshot.SnapshotCreator;
import io.vmsnapshot.snapshot.SnapshotMode;
import io.vmsnapshot.snapshot.SnapshotOutcome;
import io.vmsnapshot.snapshot.SnapshotRequest;
import io.vmsnapshot.snapshot.Snapshotter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshotter's host path against the WireServer emulator, and its fallback to a real Azurite. */
class HostSnapshotEmulatorTest {
    private static final long IMAGE_BYTES = 16L * 1024 * 1024;

    @TempDir
    Path work;
    private HostSnapshotEmulator emulator;
    private Path osImage;
    private Path dataImage;

    @BeforeEach
    void start() throws IOException {
        osImage = image("os.img", "root file system");
        dataImage = image("lun1.img", "data disk one");
        emulator = HostSnapshotEmulator.start(Map.of(HostSnapshotEmulator.OS_DISK, osImage, 1, dataImage),
                work.resolve("snapshots"), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    /** A sparse image with a marker in its middle. */
    private Path image(String name, String marker) throws IOException {
        Path path = work.resolve(name);
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            file.setLength(IMAGE_BYTES);
            file.seek(IMAGE_BYTES / 2);
            file.write(marker.getBytes(StandardCharsets.UTF_8));
        }
        return path;
    }

    private Snapshotter snapshotter() {
        HttpClient http = HttpClient.newHttpClient();
        return new Snapshotter(new GuestSnapshotter(http, Clock.systemUTC()),
                new HostSnapshotter(http, emulator.baseUrl(), Duration.ofSeconds(10), Clock.systemUTC()), Clock.systemUTC());
    }

    private static SnapshotRequest request(SnapshotMode mode, List<String> blobs) {
        return new SnapshotRequest("task-7", "token-7", blobs, List.of(new MetadataEntry("backupId", "job-7")), List.of(-1, 1),
                Map.of("isSnapshotTtlEnabled", false), mode, false, null);
    }

    private static Instant budget() {
        return Instant.now().plusSeconds(30);
    }

    @Test
    void onlyHost_copiesEachDiskImageAsTheSnapshotTakenThen() throws IOException {
        SnapshotOutcome outcome = snapshotter().prepare(request(SnapshotMode.ONLY_HOST, List.of())).take(budget());
        try (RandomAccessFile later = new RandomAccessFile(dataImage.toFile(), "rw")) {
            later.seek(IMAGE_BYTES / 2);
            later.write("changed after".getBytes(StandardCharsets.UTF_8));
        }

        assertTrue(outcome.isSuccess(), outcome.detail());
        assertEquals(SnapshotCreator.HOST, outcome.creator());
        assertEquals(2, outcome.snapshots().size());
        Path osCopy = emulator.snapshotFile(outcome.snapshots().get(0).snapshotUri()).orElseThrow();
        Path dataCopy = emulator.snapshotFile(outcome.snapshots().get(1).snapshotUri()).orElseThrow();
        assertArrayEquals(Files.readAllBytes(osImage), Files.readAllBytes(osCopy));
        assertEquals("data disk one", marker(dataCopy, 13));
        assertEquals(List.of("presnapshot", "dosnapshot"),
                emulator.requests().stream().map(HostSnapshotEmulator.Recorded::endpoint).toList(),
                "PreSnapshot before the freeze, for the host's clock; DoSnapshot inside");
        HostSnapshotEmulator.Recorded doSnapshot = emulator.requests().get(1);
        assertEquals("true", doSnapshot.header("Backup"));
        assertEquals("VMSnapshot", doSnapshot.header("User-Agent"));
        assertEquals("[-1,1]", doSnapshot.body().get("diskIds").toString());
        assertEquals("job-7", doSnapshot.body().get("snapshotMetadata").get(0).get("Value").asText());
    }

    private static String marker(Path image, int length) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "r")) {
            byte[] bytes = new byte[length];
            file.seek(IMAGE_BYTES / 2);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    @Test
    void firstHostThenGuest_whenPreSnapshotFails_takesGuestSnapshotsInAzurite() {
        Azurite azurite = Azurite.shared();
        String container = "vhds-" + UUID.randomUUID().toString().substring(0, 8);
        azurite.createContainer(container);
        azurite.createPageBlob(container, "os.vhd", 8192);
        String sas = azurite.blobSasUri(container, "os.vhd", "rw", Instant.now().plus(Duration.ofHours(1)));
        emulator.answerPreSnapshot(500, "Internal Server Error");

        SnapshotOutcome outcome = snapshotter().prepare(request(SnapshotMode.FIRST_HOST_THEN_GUEST, List.of(sas))).take(budget());

        assertTrue(outcome.isSuccess(), outcome.detail());
        assertEquals(SnapshotCreator.GUEST, outcome.creator());
        assertEquals("556", outcome.telemetry().entries().get("hostStatusCodePreSnapshot"));
        assertEquals(List.of("presnapshot"), emulator.requests().stream().map(HostSnapshotEmulator.Recorded::endpoint).toList());
        assertEquals(Map.of("backupId", "job-7"), azurite.listSnapshots(container, "os.vhd").get(0).metadata());
    }

    @Test
    void firstHostThenGuest_whenDoSnapshotFindsTheHostServiceDown_reports556() {
        emulator.answerDoSnapshot(500, "Internal Server Error");

        SnapshotOutcome outcome = snapshotter().prepare(request(SnapshotMode.FIRST_HOST_THEN_GUEST, List.of())).take(budget());

        assertEquals(Optional.of(ErrorCode.HOST_SNAPSHOT_REMOTE_SERVER_ERROR), outcome.error());
        assertEquals("200", outcome.telemetry().entries().get("hostStatusCodePreSnapshot"));
        assertEquals("556", outcome.telemetry().entries().get("hostStatusCodeDoSnapshot"));
    }

    @Test
    void onlyHost_whenDoSnapshotAnswersAnEmptyBody_reports76() {
        emulator.answerDoSnapshot(200, "");

        SnapshotOutcome outcome = snapshotter().prepare(request(SnapshotMode.ONLY_HOST, List.of())).take(budget());

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK), outcome.error());
        assertEquals("557", outcome.telemetry().entries().get("hostStatusCodeDoSnapshot"));
    }

    @Test
    void onlyHost_whenOneDiskFails_reports76WithHealth761AndTheHostsMessage() {
        emulator.failDisk(1, 409, "The snapshot could not be taken: disk busy");

        SnapshotOutcome outcome = snapshotter().prepare(request(SnapshotMode.ONLY_HOST, List.of())).take(budget());

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK), outcome.error());
        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_RESTRICTED_NETWORK), outcome.healthCode());
        assertTrue(outcome.detail().contains("disk 2: The snapshot could not be taken: disk busy"), outcome.detail());
    }

    @Test
    void preSnapshot_answersWithTheHostsTime() {
        HostSnapshotter host = new HostSnapshotter(HttpClient.newHttpClient(), emulator.baseUrl(), Duration.ofSeconds(5), Clock.systemUTC());
        Instant before = Instant.now().minusSeconds(1);

        Instant hostTime = host.preSnapshot("t", "", false).responseTime().orElseThrow();

        assertTrue(!hostTime.isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)) && hostTime.isBefore(Instant.now().plusSeconds(1)),
                hostTime.toString());
    }
}

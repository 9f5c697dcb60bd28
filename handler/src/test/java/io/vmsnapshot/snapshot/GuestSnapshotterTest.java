package io.vmsnapshot.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.snapshot.FakeHttpServer.Reply;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GuestSnapshotterTest {
    private static final String SAS = "sv=2021-08-06&sr=b&sp=rw&se=2030-01-01T00%3A00%3A00Z&sig=S3cr3tSignature%3D";
    private static final String TS = "2026-08-06T10:00:00.1234567Z";
    private static final RetryPolicy POLICY =
            new RetryPolicy(Duration.ofMillis(200), Duration.ofMillis(1600), Duration.ofSeconds(5), 8);

    private final FakeClock clock = new FakeClock(Instant.parse("2026-08-06T10:00:00Z"));
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private GuestSnapshotter snapshotter(RetryPolicy policy) {
        return new GuestSnapshotter(http, clock, clock.sleeper(), policy, () -> 0.0);
    }

    private Instant inSeconds(int seconds) {
        return clock.instant().plusSeconds(seconds);
    }

    private String blob(String name) {
        return server.base() + "/vhds/" + name + "?" + SAS;
    }

    @Test
    void snapshot_whenStorageAnswers201_reportsTheSnapshotUriWithTheTimestamp() throws Exception {
        server = new FakeHttpServer(r -> Reply.snapshot(TS));

        SnapshotOutcome outcome = snapshotter(POLICY).snapshot(List.of(blob("os.vhd")), List.of(), false, inSeconds(30));

        assertTrue(outcome.isSuccess());
        SnapshotInfo info = outcome.snapshots().get(0);
        assertTrue(info.isSuccessful());
        assertEquals(server.base() + "/vhds/os.vhd?snapshot=" + TS, info.snapshotUri());
        assertEquals(server.base() + "/vhds/os.vhd", info.blobUri());
        assertEquals(201, info.statusCode());
        assertEquals(SnapshotCreator.GUEST, outcome.creator());
        assertEquals("guestExtension", outcome.telemetry().entries().get("snapshotCreator"));
        assertTrue(outcome.telemetry().entries().containsKey("snapshotTimeTaken"));
        assertEquals("", outcome.detail());
    }

    @Test
    void snapshot_sendsPutCompSnapshotWithMetadataHeadersAndNoVersionHeader() throws Exception {
        server = new FakeHttpServer(r -> Reply.snapshot(TS));
        List<MetadataEntry> metadata = List.of(new MetadataEntry("backupId", "b-1"), new MetadataEntry("TaskId", "t-9"));

        snapshotter(POLICY).snapshot(List.of(blob("os.vhd")), metadata, false, inSeconds(30));

        FakeHttpServer.Request request = server.requests().get(0);
        assertEquals("PUT", request.method());
        assertEquals("/vhds/os.vhd", request.uri().getPath());
        assertTrue(request.uri().getRawQuery().endsWith("&comp=snapshot"), request.uri().getRawQuery());
        assertTrue(request.uri().getRawQuery().startsWith("sv=2021-08-06&"), "SAS kept byte for byte");
        assertEquals("b-1", request.header("x-ms-meta-backupId"));
        assertEquals("t-9", request.header("x-ms-meta-TaskId"));
        assertEquals("0", request.header("Content-Length"));
        assertNull(request.header("x-ms-version"));
    }

    @Test
    void snapshot_whenTheUriHasNoQuery_appendsCompWithAQuestionMark() throws Exception {
        server = new FakeHttpServer(r -> Reply.snapshot(TS));

        snapshotter(POLICY).snapshot(List.of(server.base() + "/vhds/public.vhd"), List.of(), false, inSeconds(30));

        assertEquals("comp=snapshot", server.requests().get(0).uri().getRawQuery());
    }

    @Test
    void snapshot_when503ThenOk_retriesAfterTheFirstBackoff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server = new FakeHttpServer(r -> calls.incrementAndGet() == 1 ? Reply.of(503, "<Error><Code>ServerBusy</Code></Error>")
                : Reply.snapshot(TS));

        SnapshotOutcome outcome = snapshotter(POLICY).snapshot(List.of(blob("os.vhd")), List.of(), false, inSeconds(30));

        assertTrue(outcome.isSuccess());
        assertEquals(2, server.requests().size());
        assertEquals(List.of(Duration.ofMillis(100)), clock.sleeps());
    }

    @Test
    void snapshot_when429UntilTheDeadline_backsOffExponentiallyAndReportsRateExceeded() throws Exception {
        server = new FakeHttpServer(r -> Reply.of(429, ""));

        SnapshotOutcome outcome = snapshotter(POLICY).snapshot(List.of(blob("os.vhd")), List.of(), false, inSeconds(3));

        assertEquals(List.of(100L, 200L, 400L, 800L, 800L), clock.sleeps().stream().map(Duration::toMillis).toList());
        assertEquals(6, server.requests().size());
        assertEquals(Optional.of(ErrorCode.SNAPSHOT_RATE_EXCEEDED), outcome.error());
        assertEquals(429, outcome.snapshots().get(0).statusCode());
        assertTrue(outcome.detail().contains("6 attempts, until the freeze budget ran out"), outcome.detail());
        assertFalse(clock.instant().isAfter(inSeconds(0).plusSeconds(3)), "never sleeps past the deadline");
    }

    @Test
    void snapshot_whenTheLastTryIsCutShortByTheDeadline_stillReportsTheThrottlingStorageAnswered() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server = new FakeHttpServer(r -> {
            if (calls.incrementAndGet() == 1) {
                return Reply.of(429, "");
            }
            sleepQuietly(Duration.ofSeconds(2));
            return Reply.of(429, "");
        });
        // A first backoff of 2 s (fake) leaves 400 ms of the 2.4 s budget: the second try is cut to that,
        // in real time. The first try has the whole 2.4 s: a cold HTTP client on a loaded machine needs it.
        RetryPolicy slowBackoff = new RetryPolicy(Duration.ofSeconds(4), Duration.ofSeconds(4), Duration.ofSeconds(5), 8);
        Instant deadline = clock.instant().plusMillis(2400);

        SnapshotOutcome outcome = snapshotter(slowBackoff).snapshot(List.of(blob("os.vhd")), List.of(), false, deadline);

        assertEquals(2, calls.get());
        assertEquals(List.of(Duration.ofSeconds(2)), clock.sleeps());
        assertEquals(Optional.of(ErrorCode.SNAPSHOT_RATE_EXCEEDED), outcome.error());
        assertEquals(429, outcome.snapshots().get(0).statusCode());
        assertTrue(outcome.detail().contains("2 attempts, until the freeze budget ran out"), outcome.detail());
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void snapshot_whenStorageSaysTheRateOfSnapshotCallsIsExceeded_reports173() throws Exception {
        server = new FakeHttpServer(r -> Reply.of(409, "<?xml version=\"1.0\"?><Error><Code>SnapshotOperationRateExceeded</Code>"
                + "<Message>The rate of snapshot blob calls is exceeded.</Message></Error>"));

        SnapshotOutcome outcome = snapshotter(POLICY).snapshot(List.of(blob("os.vhd")), List.of(), false, inSeconds(1));

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_RATE_EXCEEDED), outcome.error());
        assertTrue(server.requests().size() > 1, "a rate limit is worth another try");
    }

    @Test
    void snapshot_whenTheSnapshotCountIsExceeded_reports85WithoutRetrying() throws Exception {
        server = new FakeHttpServer(r -> Reply.of(409, "<?xml version=\"1.0\"?><Error><Code>SnapshotCountExceeded</Code>"
                + "<Message>The snapshot count against this blob has been exceeded.</Message></Error>"));

        SnapshotOutcome outcome = snapshotter(POLICY).snapshot(List.of(blob("os.vhd")), List.of(), false, inSeconds(30));

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_LIMIT_REACHED), outcome.error());
        assertEquals(Optional.of(ErrorCode.SNAPSHOT_LIMIT_REACHED), outcome.healthCode());
        assertEquals(1, server.requests().size());
        assertTrue(outcome.snapshots().get(0).errorMessage().contains("The snapshot count against this blob has been exceeded"));
        assertTrue(outcome.detail().contains("maximum number of snapshots"), outcome.detail());
    }

    @Test
    void snapshot_when403_namesTheDiskByItsBlobUrlAndNeverTheSignature() throws Exception {
        server = new FakeHttpServer(r -> r.uri().getPath().endsWith("data1.vhd")
                ? Reply.of(403, "<Error><Code>AuthenticationFailed</Code><Message>Signature not valid in the specified time frame"
                        + " sig=S3cr3tSignature%3D</Message></Error>")
                : Reply.snapshot(TS));

        SnapshotOutcome outcome = snapshotter(POLICY)
                .snapshot(List.of(blob("os.vhd"), blob("data1.vhd")), List.of(), false, inSeconds(30));

        assertTrue(outcome.detail().contains("disk 2 (" + server.base() + "/vhds/data1.vhd): HTTP 403 AuthenticationFailed"),
                outcome.detail());
        assertTrue(outcome.detail().contains("expired"), outcome.detail());
        String everything = outcome.detail() + outcome.snapshots() + outcome;
        assertFalse(everything.contains("S3cr3tSignature"), everything);
        assertEquals(1, server.requests().stream().filter(r -> r.uri().getPath().endsWith("data1.vhd")).count(), "403 is final");
    }

    @Test
    void snapshot_when404_saysTheBlobDoesNotExist() throws Exception {
        server = new FakeHttpServer(r -> Reply.of(404, "<Error><Code>BlobNotFound</Code></Error>"));

        SnapshotOutcome outcome = snapshotter(POLICY).snapshot(List.of(blob("gone.vhd")), List.of(), false, inSeconds(30));

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK), outcome.error());
        assertTrue(outcome.detail().contains("disk 1 (" + server.base() + "/vhds/gone.vhd): HTTP 404 BlobNotFound: the blob does not exist"),
                outcome.detail());
    }

    @Test
    void snapshot_whenTheConnectionIsRefused_reports76AfterRetryingWithinTheBudget() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        SnapshotOutcome outcome = snapshotter(POLICY)
                .snapshot(List.of("http://127.0.0.1:" + port + "/vhds/os.vhd?" + SAS), List.of(), false, inSeconds(2));

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK), outcome.error());
        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK), outcome.healthCode());
        assertEquals(500, outcome.snapshots().get(0).statusCode());
        assertTrue(outcome.detail().contains("no answer from storage: cannot connect"), outcome.detail());
        assertFalse(clock.sleeps().isEmpty(), "network faults are retried");
    }

    @Test
    void snapshot_whenStoragesCertificateIsNotTrusted_reports76AtOnceWithoutRetrying() throws Exception {
        com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(
                io.vmsnapshot.testing.TestCa.create("Untrusted Storage CA").serverContext()));
        https.createContext("/", exchange -> {
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        https.start();
        try {
            SnapshotOutcome outcome = snapshotter(POLICY).snapshot(List.of("https://127.0.0.1:" + https.getAddress().getPort()
                    + "/vhds/os.vhd?" + SAS), List.of(), false, inSeconds(30));

            assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK), outcome.error());
            assertTrue(outcome.detail().contains("SSLHandshakeException"), outcome.detail());
            assertTrue(clock.sleeps().isEmpty(), "the same certificate would come back: " + clock.sleeps());
        } finally {
            https.stop(0);
        }
    }

    @Test
    void snapshot_whenSomeDisksFail_reports76WithHealth761() throws Exception {
        server = new FakeHttpServer(r -> r.uri().getPath().endsWith("data1.vhd") ? Reply.of(400, "<Error><Code>InvalidHeaderValue</Code></Error>")
                : Reply.snapshot(TS));

        SnapshotOutcome outcome = snapshotter(POLICY)
                .snapshot(List.of(blob("os.vhd"), blob("data1.vhd"), blob("data2.vhd")), List.of(), false, inSeconds(30));

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK), outcome.error());
        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_RESTRICTED_NETWORK), outcome.healthCode());
        assertEquals(List.of(true, false, true), outcome.snapshots().stream().map(SnapshotInfo::isSuccessful).toList());
        assertTrue(outcome.detail().startsWith("Snapshot failed for 1 of 3 disks: disk 2 ("), outcome.detail());
    }

    @Test
    void snapshot_withNoBlobs_reports76AndSaysWhy() {
        SnapshotOutcome outcome = snapshotter(POLICY).snapshot(List.of(), List.of(), false, inSeconds(30));

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK), outcome.error());
        assertTrue(outcome.detail().contains("blobSASUri is empty"), outcome.detail());
    }

    @Test
    void snapshot_runsDisksInParallelButNeverMoreThanTheBound() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch threeArrived = new CountDownLatch(3);
        server = new FakeHttpServer(r -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            threeArrived.countDown();
            try {
                threeArrived.await(10, TimeUnit.SECONDS);
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return Reply.snapshot(TS);
        });
        RetryPolicy threeAtOnce = new RetryPolicy(Duration.ofMillis(200), Duration.ofMillis(1600), Duration.ofSeconds(5), 3);
        List<String> blobs = java.util.stream.IntStream.range(0, 9).mapToObj(i -> blob("d" + i + ".vhd")).toList();

        SnapshotOutcome outcome = snapshotter(threeAtOnce).snapshot(blobs, List.of(), false, inSeconds(30));

        assertTrue(outcome.isSuccess());
        assertEquals(3, peak.get());
        assertEquals(blobs.stream().map(BlobUris::withoutQuery).toList(), outcome.snapshots().stream().map(SnapshotInfo::blobUri).toList(),
                "reported in request order");
    }

    @Test
    void snapshot_forAnAdeVm_copiesTheBlobsEncryptionSettingsOntoTheSnapshot() throws Exception {
        server = new FakeHttpServer(r -> r.method().equals("GET")
                ? new Reply(200, "", Map.of("x-ms-meta-DiskEncryptionSettings", "{\"k\":\"v\"}"))
                : Reply.snapshot(TS));

        SnapshotOutcome outcome = snapshotter(POLICY)
                .snapshot(List.of(blob("os.vhd")), List.of(new MetadataEntry("a", "b")), true, inSeconds(30));

        assertTrue(outcome.isSuccess());
        FakeHttpServer.Request get = server.requests().get(0);
        assertTrue(get.uri().getRawQuery().endsWith("&comp=metadata"));
        FakeHttpServer.Request put = server.requests().get(1);
        assertEquals("{\"k\":\"v\"}", put.header("x-ms-meta-DiskEncryptionSettings"));
        assertEquals("b", put.header("x-ms-meta-a"));
    }

    @Test
    void prepare_withoutAde_getsEachBlobsMetadataOnce_andAnUnwelcomeAnswerFailsNoDisk() throws Exception {
        server = new FakeHttpServer(r -> r.method().equals("GET")
                ? Reply.of(503, "<Error><Code>ServerBusy</Code></Error>") : Reply.snapshot(TS));
        GuestSnapshotter snapshotter = snapshotter(POLICY);

        List<PreparedDisk> disks = snapshotter.prepare(List.of(blob("os.vhd"), blob("data1.vhd")), false, inSeconds(30));

        assertEquals(2, server.requests().size(), "one try each: a warm-up is not retried");
        assertTrue(server.requests().stream().allMatch(r -> r.uri().getRawQuery().endsWith("&comp=metadata")));
        assertTrue(disks.stream().allMatch(d -> d.failure().isEmpty() && d.encryptionSettings().isEmpty()));
        SnapshotOutcome outcome = snapshotter.snapshot(disks, List.of(), inSeconds(30));
        assertTrue(outcome.isSuccess(), outcome.detail());
        assertEquals(4, server.requests().size(), "then only the two snapshot calls");
    }

    @Test
    void prepare_whenStorageIsUnreachable_stillPreparesEveryDisk() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        List<PreparedDisk> disks = snapshotter(POLICY).prepare(List.of("http://127.0.0.1:" + port + "/vhds/os.vhd?" + SAS),
                false, inSeconds(30));

        assertEquals(1, disks.size());
        assertTrue(disks.get(0).failure().isEmpty(), "the snapshot call reports what is wrong, inside its budget");
    }

    @Test
    void preparedDisk_toString_hidesTheSasTokenAndTheEncryptionSettings() {
        PreparedDisk disk = new PreparedDisk("https://acct/vhds/os.vhd?" + SAS, Optional.of("{\"keyUrl\":\"k\"}"),
                Optional.empty());

        assertFalse(disk.toString().contains("S3cr3t"), disk.toString());
        assertFalse(disk.toString().contains("keyUrl"), disk.toString());
    }
}

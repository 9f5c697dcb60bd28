package io.vmsnapshot.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.snapshot.FakeHttpServer.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each mode split at the freeze: what {@code prepare} asks before it, and that {@code take} makes
 * the snapshot calls and nothing else.
 */
class SnapshotterTest {
    private static final String DO_OK = "{\"snapshotInfo\":[{\"isSuccessful\":\"true\",\"snapshotUri\":\"https://a/v/os.vhd?snapshot=H\","
            + "\"errorMessage\":null,\"statusCode\":200}]}";
    private static final String PRE_ADE = "{\"responseTime\":{\"year\":2026,\"month\":8,\"day\":6,\"hour\":12,\"minute\":30,\"second\":5},"
            + "\"isOsDiskADEEncrypted\":true,\"areDataDisksADEEncrypted\":false,\"DiskEncryptionSettings\":{\"keyUrl\":\"https://kv/k\"}}";
    private static final String ENCRYPTION_HEADER = "x-ms-meta-DiskEncryptionSettings";

    private final FakeClock clock = new FakeClock(Instant.parse("2026-08-06T10:00:00Z"));
    private final ObjectMapper json = new ObjectMapper();
    private FakeHttpServer wireServer;
    private FakeHttpServer storage;

    @AfterEach
    void stop() {
        if (wireServer != null) {
            wireServer.close();
        }
        if (storage != null) {
            storage.close();
        }
    }

    private Snapshotter snapshotter(Function<FakeHttpServer.Request, Reply> host, Function<FakeHttpServer.Request, Reply> blobs)
            throws Exception {
        wireServer = new FakeHttpServer(host);
        storage = new FakeHttpServer(blobs);
        HttpClient http = HttpClient.newHttpClient();
        return new Snapshotter(new GuestSnapshotter(http, clock, clock.sleeper(), RetryPolicy.DEFAULT, () -> 0.0),
                new HostSnapshotter(http, URI.create(wireServer.base()), Duration.ofSeconds(5), clock), clock);
    }

    private SnapshotRequest request(SnapshotMode mode) {
        return HostSnapshotterTest.request(mode, List.of(storage.base() + "/v/os.vhd?sv=1&sig=abc"));
    }

    private SnapshotRequest adeRequest(SnapshotMode mode) {
        return new SnapshotRequest("task-1", "token-xyz", List.of(storage.base() + "/v/os.vhd?sv=1&sig=abc"),
                List.of(new MetadataEntry("backupId", "b-1")), List.of(-1), Map.of(), mode, true, null);
    }

    /** The host's calls, then storage's, each in the order its server saw them, as "endpoint" or "METHOD comp". */
    private List<String> calls() {
        List<String> host = wireServer.requests().stream().map(r -> r.uri().getPath().replaceAll(".*/", "")).toList();
        List<String> blobs = storage.requests().stream()
                .map(r -> r.method() + " " + r.uri().getQuery().replaceAll(".*comp=", "")).toList();
        return Stream.concat(host.stream(), blobs.stream()).toList();
    }

    private static Function<FakeHttpServer.Request, Reply> host(Reply pre, Reply doSnapshot) {
        return r -> r.uri().getPath().endsWith("/presnapshot") ? pre : doSnapshot;
    }

    private static Reply snapshotOrMetadata(FakeHttpServer.Request r) {
        return r.method().equals("GET") ? Reply.of(200, "") : Reply.snapshot("G");
    }

    /** What prepare asked, what take asked on top of it, and what each returned. */
    private record Split(List<String> prepareCalls, List<String> takeCalls, PreparedSnapshot prepared, SnapshotOutcome outcome) {
    }

    private Split split(Snapshotter snapshotter, SnapshotRequest request) {
        PreparedSnapshot prepared = snapshotter.prepare(request);
        List<String> before = calls();
        SnapshotOutcome outcome = prepared.take(clock.instant().plusSeconds(30));
        List<String> after = new ArrayList<>(calls());
        before.forEach(after::remove);
        return new Split(before, after, prepared, outcome);
    }

    @Test
    void firstHostThenGuest_whenTheHostAcceptsPreSnapshot_asksItBeforeTheFreezeAndOnlyDoSnapshotsInside() throws Exception {
        Snapshotter snapshotter = snapshotter(host(Reply.of(200, HostSnapshotterTest.PRE_OK), Reply.of(200, DO_OK)),
                SnapshotterTest::snapshotOrMetadata);

        Split split = split(snapshotter, request(SnapshotMode.FIRST_HOST_THEN_GUEST));

        assertEquals(List.of("presnapshot"), split.prepareCalls());
        assertEquals(List.of("dosnapshot"), split.takeCalls());
        SnapshotOutcome outcome = split.outcome();
        assertTrue(outcome.isSuccess());
        assertEquals(SnapshotCreator.HOST, outcome.creator());
        assertEquals("https://a/v/os.vhd?snapshot=H", outcome.snapshots().get(0).snapshotUri());
        assertEquals("backupHostService", outcome.telemetry().entries().get("snapshotCreator"));
        assertEquals("200", outcome.telemetry().entries().get("hostStatusCodePreSnapshot"));
        assertEquals("200", outcome.telemetry().entries().get("hostStatusCodeDoSnapshot"));
    }

    @Test
    void prepare_givesTheHostsClockFromPreSnapshot() throws Exception {
        Snapshotter snapshotter = snapshotter(host(Reply.of(200, HostSnapshotterTest.PRE_OK), Reply.of(200, DO_OK)),
                SnapshotterTest::snapshotOrMetadata);

        PreparedSnapshot prepared = snapshotter.prepare(request(SnapshotMode.ONLY_HOST));

        assertEquals(Optional.of(Instant.parse("2026-08-06T12:30:05Z")), prepared.hostTime());
    }

    @Test
    void firstHostThenGuest_whenPreSnapshotFails500_choosesTheGuestBeforeTheFreezeAndOnlyPutsInside() throws Exception {
        Snapshotter snapshotter = snapshotter(host(Reply.of(500, "down"), Reply.of(200, DO_OK)), SnapshotterTest::snapshotOrMetadata);

        Split split = split(snapshotter, request(SnapshotMode.FIRST_HOST_THEN_GUEST));

        assertEquals(List.of("presnapshot", "GET metadata"), split.prepareCalls(), "the blob's connection is opened before");
        assertEquals(List.of("PUT snapshot"), split.takeCalls());
        SnapshotOutcome outcome = split.outcome();
        assertTrue(outcome.isSuccess());
        assertEquals(SnapshotCreator.GUEST, outcome.creator());
        assertEquals("556", outcome.telemetry().entries().get("hostStatusCodePreSnapshot"));
        assertFalse(outcome.telemetry().entries().containsKey("hostStatusCodeDoSnapshot"));
        assertTrue(split.prepared().hostTime().isEmpty());
    }

    @Test
    void firstHostThenGuest_whenDoSnapshotSays556AfterPreSnapshot200_reportsTheHostServiceError() throws Exception {
        Snapshotter snapshotter = snapshotter(host(Reply.of(200, HostSnapshotterTest.PRE_OK), Reply.of(500, "Internal Server Error")),
                SnapshotterTest::snapshotOrMetadata);

        Split split = split(snapshotter, request(SnapshotMode.FIRST_HOST_THEN_GUEST));

        SnapshotOutcome outcome = split.outcome();
        assertEquals(Optional.of(ErrorCode.HOST_SNAPSHOT_REMOTE_SERVER_ERROR), outcome.error());
        assertEquals("556", outcome.telemetry().entries().get("hostStatusCodeDoSnapshot"));
        assertTrue(outcome.detail().contains("DoSnapshot answered 556 (host snapshot service down)"), outcome.detail());
        assertTrue(storage.requests().isEmpty(), "upstream does not fall back to the guest after the host accepted");
    }

    @Test
    void onlyHost_asksPreSnapshotBeforeTheFreeze_andReports76With557WhenDoSnapshotHasAnEmptyBody() throws Exception {
        Snapshotter snapshotter = snapshotter(host(Reply.of(200, HostSnapshotterTest.PRE_OK), Reply.of(200, "")),
                SnapshotterTest::snapshotOrMetadata);

        Split split = split(snapshotter, request(SnapshotMode.ONLY_HOST));

        assertEquals(List.of("presnapshot"), split.prepareCalls());
        assertEquals(List.of("dosnapshot"), split.takeCalls());
        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK), split.outcome().error());
        assertEquals("557", split.outcome().telemetry().entries().get("hostStatusCodeDoSnapshot"));
        assertEquals("200", split.outcome().telemetry().entries().get("hostStatusCodePreSnapshot"));
    }

    @Test
    void onlyHost_whenPreSnapshotIsRefused_stillAsksForTheSnapshotInTheWindow() throws Exception {
        Snapshotter snapshotter = snapshotter(host(Reply.of(503, "{\"error\":\"busy\"}"), Reply.of(200, DO_OK)),
                SnapshotterTest::snapshotOrMetadata);

        Split split = split(snapshotter, request(SnapshotMode.ONLY_HOST));

        assertEquals(List.of("dosnapshot"), split.takeCalls());
        assertTrue(split.outcome().isSuccess());
        assertEquals("503", split.outcome().telemetry().entries().get("hostStatusCodePreSnapshot"));
    }

    @Test
    void onlyHost_whenOneDiskIsAtItsSnapshotLimit_reports85() throws Exception {
        String body = "{\"snapshotInfo\":[{\"isSuccessful\":\"false\",\"snapshotUri\":null,\"statusCode\":409,"
                + "\"errorMessage\":\"The snapshot count against this blob has been exceeded.\"}]}";
        Snapshotter snapshotter = snapshotter(host(Reply.of(200, HostSnapshotterTest.PRE_OK), Reply.of(200, body)),
                SnapshotterTest::snapshotOrMetadata);

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_LIMIT_REACHED), split(snapshotter, request(SnapshotMode.ONLY_HOST)).outcome().error());
    }

    @Test
    void onlyHost_forAnAdeVm_sendsTheEncryptionSettingsPreSnapshotGaveBeforeTheFreeze() throws Exception {
        Snapshotter snapshotter = snapshotter(host(Reply.of(200, PRE_ADE), Reply.of(200, DO_OK)), SnapshotterTest::snapshotOrMetadata);

        Split split = split(snapshotter, adeRequest(SnapshotMode.ONLY_HOST));

        assertEquals(List.of("presnapshot"), split.prepareCalls());
        assertEquals(List.of("dosnapshot"), split.takeCalls());
        String doSnapshot = wireServer.requests().get(1).body();
        assertEquals("{\"Key\":\"DiskEncryptionSettings\",\"Value\":{\"keyUrl\":\"https://kv/k\"}}",
                json.readTree(doSnapshot).get("snapshotMetadata").get(1).toString());
        assertFalse(split.prepared().toString().contains("kv/k"), "encryption settings are not printed");
    }

    @Test
    void firstGuestThenHost_whenEveryGuestSnapshotFails_theHostTakesThemInTheSameWindow() throws Exception {
        Snapshotter snapshotter = snapshotter(host(Reply.of(200, HostSnapshotterTest.PRE_OK), Reply.of(200, DO_OK)),
                r -> Reply.of(403, "<Error><Code>AuthenticationFailed</Code></Error>"));

        Split split = split(snapshotter, request(SnapshotMode.FIRST_GUEST_THEN_HOST));

        assertEquals(List.of("presnapshot", "GET metadata"), split.prepareCalls());
        assertEquals(List.of("dosnapshot", "PUT snapshot"), split.takeCalls(), "the guest's PUT and the host's fallback");
        assertTrue(split.outcome().isSuccess());
        assertEquals(SnapshotCreator.HOST, split.outcome().creator());
        assertEquals("backupHostService", split.outcome().telemetry().entries().get("snapshotCreator"));
    }

    @Test
    void firstGuestThenHost_whenTheGuestSucceeds_neverAsksForAHostSnapshot() throws Exception {
        Snapshotter snapshotter = snapshotter(host(Reply.of(200, HostSnapshotterTest.PRE_OK), Reply.of(200, DO_OK)),
                SnapshotterTest::snapshotOrMetadata);

        Split split = split(snapshotter, request(SnapshotMode.FIRST_GUEST_THEN_HOST));

        assertEquals(List.of("PUT snapshot"), split.takeCalls());
        assertEquals(SnapshotCreator.GUEST, split.outcome().creator());
    }

    @Test
    void onlyGuest_neverCallsTheHost_andOnlyPutsInsideTheWindow() throws Exception {
        Snapshotter snapshotter = snapshotter(host(Reply.of(200, HostSnapshotterTest.PRE_OK), Reply.of(200, DO_OK)),
                SnapshotterTest::snapshotOrMetadata);

        Split split = split(snapshotter, request(SnapshotMode.ONLY_GUEST));

        assertEquals(List.of("GET metadata"), split.prepareCalls());
        assertEquals(List.of("PUT snapshot"), split.takeCalls());
        assertTrue(split.outcome().isSuccess());
        assertEquals(SnapshotCreator.GUEST, split.outcome().creator());
        assertTrue(wireServer.requests().isEmpty());
        assertTrue(split.prepared().hostTime().isEmpty());
    }

    @Test
    void onlyGuest_forAnAdeVm_readsTheEncryptionSettingsBeforeTheFreezeAndCopiesThemOntoTheSnapshot() throws Exception {
        Snapshotter snapshotter = snapshotter(host(Reply.of(200, PRE_ADE), Reply.of(200, DO_OK)),
                r -> r.method().equals("GET") ? new Reply(200, "", Map.of(ENCRYPTION_HEADER, "{\"k\":\"v\"}")) : Reply.snapshot("G"));

        Split split = split(snapshotter, adeRequest(SnapshotMode.ONLY_GUEST));

        assertEquals(List.of("GET metadata"), split.prepareCalls());
        assertEquals(List.of("PUT snapshot"), split.takeCalls());
        assertEquals("{\"k\":\"v\"}", storage.requests().get(1).header(ENCRYPTION_HEADER));
        assertEquals("2018-03-28", storage.requests().get(0).header("x-ms-version"));
        assertTrue(split.outcome().isSuccess());
    }

    @Test
    void onlyGuest_forAnAdeVm_whenTheEncryptionSettingsCannotBeRead_failsThatDiskWithoutASnapshotCall() throws Exception {
        Snapshotter snapshotter = snapshotter(host(Reply.of(200, PRE_ADE), Reply.of(200, DO_OK)),
                r -> r.method().equals("GET") ? Reply.of(403, "<Error><Code>AuthorizationFailure</Code></Error>") : Reply.snapshot("G"));

        Split split = split(snapshotter, adeRequest(SnapshotMode.ONLY_GUEST));

        assertEquals(List.of(), split.takeCalls());
        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK), split.outcome().error());
        assertTrue(split.outcome().detail().contains("reading its DiskEncryptionSettings"), split.outcome().detail());
        assertEquals(403, split.outcome().snapshots().get(0).statusCode());
    }
}

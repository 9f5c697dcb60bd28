package io.vmsnapshot.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.snapshot.FakeHttpServer.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SnapshotterTest {
    private static final String DO_OK = "{\"snapshotInfo\":[{\"isSuccessful\":\"true\",\"snapshotUri\":\"https://a/v/os.vhd?snapshot=H\","
            + "\"errorMessage\":null,\"statusCode\":200}]}";

    private final FakeClock clock = new FakeClock(Instant.parse("2026-08-06T10:00:00Z"));
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

    private SnapshotOutcome run(SnapshotMode mode, Function<FakeHttpServer.Request, Reply> host) throws Exception {
        wireServer = new FakeHttpServer(host);
        storage = new FakeHttpServer(r -> Reply.snapshot("G"));
        HttpClient http = HttpClient.newHttpClient();
        Snapshotter snapshotter = new Snapshotter(
                new GuestSnapshotter(http, clock, clock.sleeper(), RetryPolicy.DEFAULT, () -> 0.0),
                new HostSnapshotter(http, URI.create(wireServer.base()), Duration.ofSeconds(5), clock), clock);
        SnapshotRequest request = HostSnapshotterTest.request(mode, List.of(storage.base() + "/v/os.vhd?sv=1&sig=abc"));
        return snapshotter.snapshot(request, clock.instant().plusSeconds(30));
    }

    private static Function<FakeHttpServer.Request, Reply> host(Reply pre, Reply doSnapshot) {
        return r -> r.uri().getPath().endsWith("/presnapshot") ? pre : doSnapshot;
    }

    @Test
    void firstHostThenGuest_whenTheHostAcceptsPreSnapshot_theHostTakesTheSnapshots() throws Exception {
        SnapshotOutcome outcome = run(SnapshotMode.FIRST_HOST_THEN_GUEST, host(Reply.of(200, HostSnapshotterTest.PRE_OK), Reply.of(200, DO_OK)));

        assertTrue(outcome.isSuccess());
        assertEquals(SnapshotCreator.HOST, outcome.creator());
        assertEquals("https://a/v/os.vhd?snapshot=H", outcome.snapshots().get(0).snapshotUri());
        assertEquals("backupHostService", outcome.telemetry().get("snapshotCreator"));
        assertEquals("200", outcome.telemetry().get("hostStatusCodePreSnapshot"));
        assertEquals("200", outcome.telemetry().get("hostStatusCodeDoSnapshot"));
        assertTrue(storage.requests().isEmpty());
    }

    @Test
    void firstHostThenGuest_whenPreSnapshotFails500_theGuestTakesTheSnapshots() throws Exception {
        SnapshotOutcome outcome = run(SnapshotMode.FIRST_HOST_THEN_GUEST, host(Reply.of(500, "down"), Reply.of(200, DO_OK)));

        assertTrue(outcome.isSuccess());
        assertEquals(SnapshotCreator.GUEST, outcome.creator());
        assertEquals("556", outcome.telemetry().get("hostStatusCodePreSnapshot"));
        assertFalse(outcome.telemetry().containsKey("hostStatusCodeDoSnapshot"));
        assertEquals(1, wireServer.requests().size(), "no DoSnapshot after a failed PreSnapshot");
        assertEquals(1, storage.requests().size());
    }

    @Test
    void firstHostThenGuest_whenDoSnapshotSays556AfterPreSnapshot200_reportsTheHostServiceError() throws Exception {
        SnapshotOutcome outcome = run(SnapshotMode.FIRST_HOST_THEN_GUEST,
                host(Reply.of(200, HostSnapshotterTest.PRE_OK), Reply.of(500, "Internal Server Error")));

        assertEquals(Optional.of(ErrorCode.HOST_SNAPSHOT_REMOTE_SERVER_ERROR), outcome.error());
        assertEquals("556", outcome.telemetry().get("hostStatusCodeDoSnapshot"));
        assertTrue(outcome.detail().contains("DoSnapshot answered 556 (host snapshot service down)"), outcome.detail());
        assertTrue(storage.requests().isEmpty(), "upstream does not fall back to the guest after the host accepted");
    }

    @Test
    void onlyHost_whenDoSnapshotHasAnEmptyBody_reports76With557() throws Exception {
        SnapshotOutcome outcome = run(SnapshotMode.ONLY_HOST, host(Reply.of(200, HostSnapshotterTest.PRE_OK), Reply.of(200, "")));

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK), outcome.error());
        assertEquals("557", outcome.telemetry().get("hostStatusCodeDoSnapshot"));
        assertFalse(outcome.telemetry().containsKey("hostStatusCodePreSnapshot"), "no PreSnapshot needed without ADE");
    }

    @Test
    void onlyHost_whenOneDiskIsAtItsSnapshotLimit_reports85() throws Exception {
        String body = "{\"snapshotInfo\":[{\"isSuccessful\":\"false\",\"snapshotUri\":null,\"statusCode\":409,"
                + "\"errorMessage\":\"The snapshot count against this blob has been exceeded.\"}]}";
        SnapshotOutcome outcome = run(SnapshotMode.ONLY_HOST, host(Reply.of(200, HostSnapshotterTest.PRE_OK), Reply.of(200, body)));

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_LIMIT_REACHED), outcome.error());
    }

    @Test
    void firstGuestThenHost_whenEveryGuestSnapshotFails_theHostTakesThem() throws Exception {
        wireServer = new FakeHttpServer(host(Reply.of(200, HostSnapshotterTest.PRE_OK), Reply.of(200, DO_OK)));
        storage = new FakeHttpServer(r -> Reply.of(403, "<Error><Code>AuthenticationFailed</Code></Error>"));
        HttpClient http = HttpClient.newHttpClient();
        Snapshotter snapshotter = new Snapshotter(
                new GuestSnapshotter(http, clock, clock.sleeper(), RetryPolicy.DEFAULT, () -> 0.0),
                new HostSnapshotter(http, URI.create(wireServer.base()), Duration.ofSeconds(5), clock), clock);

        SnapshotOutcome outcome = snapshotter.snapshot(HostSnapshotterTest.request(SnapshotMode.FIRST_GUEST_THEN_HOST,
                List.of(storage.base() + "/v/os.vhd?sig=abc")), clock.instant().plusSeconds(30));

        assertTrue(outcome.isSuccess());
        assertEquals(SnapshotCreator.HOST, outcome.creator());
        assertEquals(1, storage.requests().size());
    }

    @Test
    void onlyGuest_neverCallsTheHost() throws Exception {
        SnapshotOutcome outcome = run(SnapshotMode.ONLY_GUEST, host(Reply.of(200, HostSnapshotterTest.PRE_OK), Reply.of(200, DO_OK)));

        assertTrue(outcome.isSuccess());
        assertEquals(SnapshotCreator.GUEST, outcome.creator());
        assertTrue(wireServer.requests().isEmpty());
    }
}

package io.vmsnapshot.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.snapshot.FakeHttpServer.Reply;
import io.vmsnapshot.testing.Fuzz;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile answers from the WireServer and from storage (issue 7 §6): odd status codes, bodies that
 * are mutated host documents, garbage, huge or empty, odd snapshot headers. Every snapshot call
 * still ends in an outcome (one entry per guest disk, an error code whenever it is not a success)
 * and never in an exception, and no retry waits past the deadline.
 */
class SnapshotResponsesFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DO_OK = "{\"snapshotInfo\":[{\"snapshotUri\":\"https://a.blob/v/os.vhd?snapshot=1\","
            + "\"errorMessage\":null,\"isSuccessful\":true,\"statusCode\":200,\"blobUri\":\"https://a.blob/v/os.vhd\","
            + "\"ddSnapshotIdentifier\":{\"creationTime\":\"2026-08-06T10:00:00Z\",\"id\":\"i\",\"token\":\"t\","
            + "\"instantAccessDurationMinutes\":5}},{\"snapshotUri\":null,\"errorMessage\":\"quota\",\"isSuccessful\":\"false\","
            + "\"statusCode\":409}]}";
    private static final List<Integer> STATUSES = List.of(100, 200, 201, 202, 204, 206, 301, 304, 400, 401, 403, 404,
            408, 409, 412, 429, 499, 500, 502, 503, 504, 555, 599);
    private static final String SAS = "sv=2021-08-06&sr=b&sp=rw&sig=S3cr3t%3D";

    private final FakeClock clock = new FakeClock(Instant.parse("2026-08-06T10:00:00Z"));
    private final HttpClient http = HttpClient.newHttpClient();
    private FakeHttpServer server;
    private Random replies;

    @BeforeEach
    void start() throws Exception {
        server = new FakeHttpServer(request -> hostileReply());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void snapshotter_hostileAnswersInEveryMode_endInAnOutcomeWithinTheDeadline() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(800), Duration.ofSeconds(5), 4);
        Snapshotter snapshotter = new Snapshotter(
                new GuestSnapshotter(http, clock, clock.sleeper(), policy, () -> 0.5),
                new HostSnapshotter(http, URI.create(server.base()), Duration.ofSeconds(5), clock), clock);
        Fuzz.run("Snapshotter.responses", 21, Fuzz.iterations(1200), (random, i) -> {
            useReplies(new Random(random.nextLong()));
            List<String> blobs = new ArrayList<>();
            for (int d = random.nextInt(4); d > 0; d--) {
                blobs.add(server.base() + "/vhds/disk" + d + ".vhd?" + SAS);
            }
            SnapshotMode mode = SnapshotMode.values()[random.nextInt(SnapshotMode.values().length)];
            SnapshotRequest request = new SnapshotRequest("task-" + i, "token", blobs,
                    List.of(new MetadataEntry("backupId", "b-" + i)), List.of(-1, 0), Map.of("isSnapshotTtlEnabled", true),
                    mode, random.nextBoolean(), random.nextBoolean() ? null : random.nextInt(1000));
            Instant deadline = clock.instant().plusSeconds(5 + random.nextInt(20));

            SnapshotOutcome outcome = snapshotter.prepare(request).take(deadline);

            assertNotNull(outcome.detail());
            assertTrue(outcome.isSuccess() || outcome.error().isPresent());
            if (outcome.creator() == SnapshotCreator.GUEST) {
                assertEquals(blobs.size(), outcome.snapshots().size(), "one report entry per disk");
            }
            assertTrue(!clock.instant().isAfter(deadline.plus(policy.maxBackoff())),
                    "retries stop at the deadline: " + clock.instant() + " vs " + deadline);
        });
    }

    @Test
    void hostSnapshotter_hostileAnswers_giveAResultWithAStatusCode() {
        HostSnapshotter host = new HostSnapshotter(http, URI.create(server.base()), Duration.ofSeconds(5), clock);
        SnapshotRequest request = new SnapshotRequest("task", "token", List.of(), List.of(), List.of(-1),
                Map.of(), SnapshotMode.ONLY_HOST, true, 60);
        Fuzz.run("HostSnapshotter.responses", 22, Fuzz.iterations(2000), (random, i) -> {
            useReplies(new Random(random.nextLong()));
            PreSnapshotResult pre = host.preSnapshot("task", "token", random.nextBoolean(), clock.instant().plusSeconds(10));
            assertNotNull(pre);
            DoSnapshotResult done = host.doSnapshot(request, java.util.Optional.of(pre), clock.instant().plusSeconds(10));
            done.snapshots().forEach(info -> assertTrue(info.isSuccessful() || info.errorMessage() != null, info.toString()));
        });
    }

    private synchronized void useReplies(Random random) {
        replies = random;
    }

    private synchronized Reply hostileReply() {
        Random random = replies == null ? new Random(0) : replies;
        int status = Fuzz.pick(random, STATUSES);
        String body = switch (random.nextInt(8)) {
            case 0 -> "";
            case 1 -> mutatedJson(random, HostSnapshotterTest.PRE_OK);
            case 2 -> mutatedJson(random, DO_OK);
            case 3 -> new String(Fuzz.mutateBytes(random, DO_OK.getBytes(StandardCharsets.UTF_8)), StandardCharsets.ISO_8859_1);
            case 4 -> "{\"error\":" + Fuzz.hostileValue(random) + "}";
            case 5 -> "x".repeat(random.nextInt(3_000_000));
            case 6 -> Fuzz.hostileString(random);
            default -> "<?xml version=\"1.0\"?><Error><Code>" + Fuzz.pick(random, List.of("ServerBusy",
                    "SnapshotCountExceeded", "SnapshotOperationRateExceeded", "Other")) + "</Code><Message>"
                    + Fuzz.pick(random, List.of("The rate of snapshot blob calls is exceeded.",
                    "The snapshot count against this blob has been exceeded.", "")) + "</Message></Error>";
        };
        Map<String, String> headers = new LinkedHashMap<>();
        if (random.nextInt(3) > 0) {
            headers.put("x-ms-snapshot", Fuzz.pick(random, List.of("2026-08-06T10:00:00.1234567Z", "", " ",
                    "not a time", "%00", "..%2f..", "a".repeat(5000))));
        }
        if (random.nextBoolean()) {
            headers.put("x-ms-meta-DiskEncryptionSettings", Fuzz.pick(random, List.of("{}", "x", "{\"a\":1}")));
        }
        if (random.nextInt(5) == 0) {
            headers.put("Content-Type", Fuzz.pick(random, List.of("application/json; charset=utf-16", "text/html",
                    "application/json; charset=nonsense")));
        }
        return new Reply(status == 100 ? 599 : status, body, headers);
    }

    private static String mutatedJson(Random random, String valid) {
        try {
            JsonNode tree = JSON.readTree(valid);
            return Fuzz.mutateTree(random, tree).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

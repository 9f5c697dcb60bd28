package io.vmsnapshot.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.snapshot.FakeHttpServer.Reply;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostSnapshotterTest {
    static final String PRE_OK = "{\"bhsVersion\":\"1.2\",\"nodeId\":\"n\",\"result\":\"ok\",\"responseTime\":"
            + "{\"year\":2026,\"month\":8,\"day\":6,\"hour\":12,\"minute\":30,\"second\":5}}";

    private final FakeClock clock = new FakeClock(Instant.parse("2026-08-06T10:00:00Z"));
    private final ObjectMapper json = new ObjectMapper();
    private FakeHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HostSnapshotter host() {
        return new HostSnapshotter(HttpClient.newHttpClient(), URI.create(server.base() + "/"), Duration.ofSeconds(5), clock);
    }

    static SnapshotRequest request(SnapshotMode mode, List<String> blobs) {
        return new SnapshotRequest("task-1", "token-xyz", blobs, List.of(new MetadataEntry("backupId", "b-1")),
                List.of(-1, 0), Map.of("isSnapshotTtlEnabled", true, "useMccfForLad", false), mode, false, 120);
    }

    @Test
    void preSnapshot_postsTaskAndTokenWithTheHostHeaders_andReadsTheHostTime() throws Exception {
        server = new FakeHttpServer(r -> Reply.of(200, PRE_OK));

        PreSnapshotResult result = host().preSnapshot("task-1", "token-xyz", true);

        assertTrue(result.accepted());
        assertEquals(Optional.of(Instant.parse("2026-08-06T12:30:05Z")), result.responseTime());
        FakeHttpServer.Request request = server.requests().get(0);
        assertEquals("POST", request.method());
        assertEquals("/metadata/recsvc/snapshot/presnapshot", request.uri().getPath());
        assertEquals("api-version=2017-12-01", request.uri().getQuery());
        assertEquals("true", request.header("Backup"));
        assertEquals("application/json", request.header("Content-Type"));
        assertEquals("VMSnapshot", request.header("User-Agent"));
        JsonNode body = json.readTree(request.body());
        assertEquals("task-1", body.get("taskId").asText());
        assertEquals("token-xyz", body.get("snapshotTaskToken").asText());
        assertEquals("isVMADEEnabled", body.get("preSnapshotSettings").get(0).get("Key").asText());
        assertTrue(body.get("preSnapshotSettings").get(0).get("Value").booleanValue());
    }

    @Test
    void preSnapshot_whenTheHostAnswers500WithoutAJsonError_reports556() throws Exception {
        server = new FakeHttpServer(r -> Reply.of(500, "Internal Server Error"));

        assertEquals(556, host().preSnapshot("t", "", false).statusCode());
    }

    @Test
    void preSnapshot_whenTheHostAnswers500WithAJsonError_reports500() throws Exception {
        server = new FakeHttpServer(r -> Reply.of(500, "{ \"error\": {\"code\":\"x\"} }"));

        assertEquals(500, host().preSnapshot("t", "", false).statusCode());
    }

    @Test
    void preSnapshot_whenTheBodyIsEmpty_reports557() throws Exception {
        server = new FakeHttpServer(r -> Reply.of(200, ""));

        PreSnapshotResult result = host().preSnapshot("t", "", false);

        assertEquals(557, result.statusCode());
        assertFalse(result.accepted());
    }

    @Test
    void preSnapshot_whenNothingListens_reports555() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HostSnapshotter host = new HostSnapshotter(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + port),
                Duration.ofSeconds(2), clock);

        assertEquals(555, host.preSnapshot("t", "", false).statusCode());
    }

    @Test
    void doSnapshot_whenNothingListens_reports555_namingTheAddressItTried() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HostSnapshotter host = new HostSnapshotter(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + port),
                Duration.ofSeconds(2), clock);

        DoSnapshotResult result = host.doSnapshot(request(SnapshotMode.ONLY_HOST, List.of()), Optional.empty(),
                clock.instant().plusSeconds(10));

        assertEquals(555, result.statusCode());
        assertTrue(result.problem().contains("the WireServer at http://127.0.0.1:" + port + " did not answer: cannot connect"),
                result.problem());
    }

    @Test
    void doSnapshot_sendsDisksSettingsMetadataAndParsesPerDiskResults() throws Exception {
        server = new FakeHttpServer(r -> Reply.of(200, "{\"snapshotInfo\":["
                + "{\"isSuccessful\":\"true\",\"snapshotUri\":\"https://acct/vhds/os.vhd?snapshot=T1\",\"errorMessage\":null,\"statusCode\":200},"
                + "{\"isSuccessful\":false,\"snapshotUri\":null,\"errorMessage\":\"disk busy\",\"statusCode\":409},"
                + "{\"isSuccessful\":true,\"snapshotUri\":\"https://md-dd/disks/d1/snapshots?snapshotId=X\",\"errorMessage\":null,"
                + "\"statusCode\":200,\"ddSnapshotIdentifier\":{\"creationTime\":\"2026-08-06T10:00:01.5Z\",\"id\":\"X\",\"token\":\"secret-dd-token\","
                + "\"instantAccessDurationMinutes\":120}}]}"));

        DoSnapshotResult result = host().doSnapshot(request(SnapshotMode.ONLY_HOST, List.of()), Optional.empty(),
                clock.instant().plusSeconds(30));

        assertEquals(200, result.statusCode());
        JsonNode body = json.readTree(server.requests().get(0).body());
        assertEquals("/metadata/recsvc/snapshot/dosnapshot", server.requests().get(0).uri().getPath());
        assertEquals("[-1,0]", body.get("diskIds").toString());
        assertEquals("[{\"Key\":\"isSnapshotTtlEnabled\",\"Value\":true},{\"Key\":\"useMccfForLad\",\"Value\":false}]",
                body.get("settings").toString());
        assertEquals("[{\"Key\":\"backupId\",\"Value\":\"b-1\"}]", body.get("snapshotMetadata").toString());
        assertEquals("token-xyz", body.get("snapshotTaskToken").asText());
        assertEquals(120, body.get("instantAccessDurationMinutes").asInt());

        SnapshotInfo os = result.snapshots().get(0);
        assertTrue(os.isSuccessful());
        assertEquals("https://acct/vhds/os.vhd", os.blobUri());
        SnapshotInfo busy = result.snapshots().get(1);
        assertFalse(busy.isSuccessful());
        assertEquals(409, busy.statusCode());
        assertEquals("disk busy", busy.errorMessage());
        SnapshotInfo dd = result.snapshots().get(2);
        assertNull(dd.snapshotUri(), "DirectDrive snapshots are reported by identifier only");
        assertEquals("https://md-dd/disks/d1", dd.blobUri());
        assertEquals(Instant.parse("2026-08-06T10:00:01.5Z"), dd.directDriveSnapshotIdentifier().creationTime());
        assertFalse(dd.toString().contains("secret-dd-token"));
    }

    @Test
    void doSnapshot_forAnAdeVm_passesTheEncryptionDetailsFromPreSnapshot() throws Exception {
        server = new FakeHttpServer(r -> Reply.of(200, "{\"snapshotInfo\":[]}"));
        PreSnapshotResult pre = new PreSnapshotResult(200, Optional.empty(), Optional.of(true), Optional.of(false),
                Optional.of("{\"keyUrl\":\"https://kv/k\"}"));
        SnapshotRequest ade = new SnapshotRequest("t", "", List.of(), List.of(), List.of(-1), Map.of(), SnapshotMode.ONLY_HOST, true, null);

        host().doSnapshot(ade, Optional.of(pre), clock.instant().plusSeconds(30));

        JsonNode body = json.readTree(server.requests().get(0).body());
        assertEquals("[{\"Key\":\"isOsDiskADEEncrypted\",\"Value\":true},{\"Key\":\"areDataDisksADEEncrypted\",\"Value\":false}]",
                body.get("settings").toString());
        assertEquals("[{\"Key\":\"DiskEncryptionSettings\",\"Value\":{\"keyUrl\":\"https://kv/k\"}}]", body.get("snapshotMetadata").toString());
        assertFalse(body.has("instantAccessDurationMinutes"));
    }

    @Test
    void doSnapshot_whenTheBodyIsNotJson_reports558() throws Exception {
        server = new FakeHttpServer(r -> Reply.of(200, "<html>"));

        DoSnapshotResult result = host().doSnapshot(request(SnapshotMode.ONLY_HOST, List.of()), Optional.empty(),
                clock.instant().plusSeconds(30));

        assertEquals(558, result.statusCode());
        assertTrue(result.snapshots().isEmpty());
    }
}

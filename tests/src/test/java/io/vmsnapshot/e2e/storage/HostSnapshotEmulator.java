package io.vmsnapshot.e2e.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WireServer's host snapshot endpoints on 127.0.0.1, for a sandbox VM whose disks are image
 * files: PreSnapshot answers with the host's time; DoSnapshot "snapshots" each requested disk by
 * copying its image (sparse) into the snapshot directory, so a test can restore it and look
 * inside. Answers can be made to fail; every request is recorded.
 */
public final class HostSnapshotEmulator implements AutoCloseable {
    public static final int OS_DISK = -1;

    /** One request: which endpoint, its headers (first values) and its JSON body. */
    public record Recorded(String endpoint, Map<String, String> headers, JsonNode body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }
    }

    private record Answer(int status, String body) {
    }

    private record DiskFailure(int statusCode, String errorMessage) {
    }

    private final Map<Integer, Path> disks;
    private final Path snapshotDir;
    private final Clock clock;
    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger snapshotCount = new AtomicInteger();
    private final List<Recorded> requests = new ArrayList<>();
    private final Map<Integer, DiskFailure> diskFailures = new HashMap<>();
    private final Map<String, Path> snapshotFiles = new HashMap<>();
    private Answer preSnapshotAnswer;
    private Answer doSnapshotAnswer;

    private HostSnapshotEmulator(Map<Integer, Path> disks, Path snapshotDir, Clock clock) throws IOException {
        this.disks = Map.copyOf(disks);
        this.snapshotDir = snapshotDir;
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metadata/recsvc/snapshot/presnapshot", e -> handle(e, "presnapshot"));
        server.createContext("/metadata/recsvc/snapshot/dosnapshot", e -> handle(e, "dosnapshot"));
        server.start();
    }

    /**
     * @param disks       disk id (LUN; {@link #OS_DISK} = -1 for the OS disk) to its image file
     * @param snapshotDir where the copies go, one sub-directory per DoSnapshot
     */
    public static HostSnapshotEmulator start(Map<Integer, Path> disks, Path snapshotDir, Clock clock) throws IOException {
        Files.createDirectories(snapshotDir);
        return new HostSnapshotEmulator(disks, snapshotDir, clock);
    }

    /** What {@code VMSNAPSHOT_WIRESERVER_URL} is set to. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** PreSnapshot answers this from now on, e.g. 500 "Internal Server Error" (host service down), or 200 "" (empty body). */
    public synchronized void answerPreSnapshot(int status, String body) {
        preSnapshotAnswer = new Answer(status, body);
    }

    /** DoSnapshot answers this from now on instead of taking snapshots. */
    public synchronized void answerDoSnapshot(int status, String body) {
        doSnapshotAnswer = new Answer(status, body);
    }

    /** DoSnapshot reports this disk as failed (and copies nothing for it). */
    public synchronized void failDisk(int diskId, int statusCode, String errorMessage) {
        diskFailures.put(diskId, new DiskFailure(statusCode, errorMessage));
    }

    /** Back to answering normally. */
    public synchronized void reset() {
        preSnapshotAnswer = null;
        doSnapshotAnswer = null;
        diskFailures.clear();
    }

    public synchronized List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** The copied image a reported {@code snapshotUri} stands for. */
    public synchronized Optional<Path> snapshotFile(String snapshotUri) {
        return Optional.ofNullable(snapshotFiles.get(snapshotUri));
    }

    private void handle(HttpExchange exchange, String endpoint) throws IOException {
        try (exchange) {
            String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
            JsonNode body = text.isBlank() ? json.nullNode() : json.readTree(text);
            Answer answer;
            synchronized (this) {
                requests.add(new Recorded(endpoint, Map.copyOf(headers), body));
                answer = endpoint.equals("presnapshot") ? preSnapshotAnswer : doSnapshotAnswer;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                answer = new Answer(405, "");
            }
            if (answer == null) {
                try {
                    answer = endpoint.equals("presnapshot") ? preSnapshot() : doSnapshot(body);
                } catch (IOException | RuntimeException e) {
                    // A broken fixture, not a host behaviour: say so in a JSON error the test will see.
                    answer = new Answer(500, json.createObjectNode().put("error", "emulator: " + e).toString());
                }
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Answer preSnapshot() {
        ZonedDateTime now = clock.instant().atZone(ZoneOffset.UTC);
        ObjectNode body = json.createObjectNode();
        body.put("bhsVersion", "emulator");
        body.put("nodeId", "127.0.0.1");
        body.put("result", "ok");
        ObjectNode time = body.putObject("responseTime");
        time.put("year", now.getYear()).put("month", now.getMonthValue()).put("day", now.getDayOfMonth())
                .put("hour", now.getHour()).put("minute", now.getMinute()).put("second", now.getSecond());
        return new Answer(200, body.toString());
    }

    private Answer doSnapshot(JsonNode request) throws IOException {
        String id = "snap-" + snapshotCount.incrementAndGet();
        String timestamp = clock.instant().toString();
        Path dir = snapshotDir.resolve(id);
        Files.createDirectories(dir);
        ObjectNode body = json.createObjectNode();
        ArrayNode infos = body.putArray("snapshotInfo");
        for (JsonNode diskId : request.path("diskIds")) {
            int lun = diskId.asInt();
            ObjectNode info = infos.addObject();
            DiskFailure failure;
            synchronized (this) {
                failure = diskFailures.get(lun);
            }
            Path image = disks.get(lun);
            if (failure == null && image == null) {
                failure = new DiskFailure(404, "no disk with id " + lun + " on this VM");
            }
            if (failure != null) {
                info.put("isSuccessful", "false").putNull("snapshotUri").put("errorMessage", failure.errorMessage())
                        .put("statusCode", failure.statusCode());
                continue;
            }
            String name = lun == OS_DISK ? "os.img" : "lun" + lun + ".img";
            Path copy = dir.resolve(name);
            copySparse(image, copy);
            String uri = baseUrl() + "/snapshots/" + id + "/" + name + "?snapshot=" + timestamp;
            synchronized (this) {
                snapshotFiles.put(uri, copy);
            }
            info.put("isSuccessful", "true").put("snapshotUri", uri).putNull("errorMessage").put("statusCode", 200);
        }
        return new Answer(200, body.toString());
    }

    /** Disk images are mostly holes: keep them holes. */
    private static void copySparse(Path from, Path to) throws IOException {
        Process cp = new ProcessBuilder("cp", "--sparse=always", from.toString(), to.toString()).redirectErrorStream(true).start();
        try {
            if (!cp.waitFor(60, TimeUnit.SECONDS) || cp.exitValue() != 0) {
                cp.destroyForcibly();
                throw new IOException("cp " + from + " " + to + " failed: " + new String(cp.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while copying " + from, e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

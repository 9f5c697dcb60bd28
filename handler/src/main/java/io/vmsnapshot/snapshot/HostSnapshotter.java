package io.vmsnapshot.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the Backup Host Service, through the WireServer, to snapshot the disks (upstream
 * {@code hostsnapshotter.py}): POST {@code presnapshot} to learn whether it is there (and the
 * host's time, and ADE details), POST {@code dosnapshot} to take the snapshots. One try each, as
 * upstream: a retry is the service's call. The base URL is injected ({@code VMSNAPSHOT_WIRESERVER_URL}).
 */
public final class HostSnapshotter {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(40);
    static final String PRE_SNAPSHOT_PATH = "/metadata/recsvc/snapshot/presnapshot?api-version=2017-12-01";
    static final String DO_SNAPSHOT_PATH = "/metadata/recsvc/snapshot/dosnapshot?api-version=2017-12-01";
    private static final Logger LOG = LoggerFactory.getLogger(HostSnapshotter.class);
    private static final int NO_RESPONSE = 555;
    private static final int HOST_SERVICE_DOWN = 556;
    private static final int EMPTY_BODY = 557;
    private static final int UNREADABLE = 558;

    private final HttpClient http;
    private final String baseUrl;
    private final Duration timeout;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    public HostSnapshotter(HttpClient http, URI baseUrl, Duration timeout, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        String base = Objects.requireNonNull(baseUrl, "baseUrl").toString();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** PreSnapshot with the full timeout: for the "arrived too late" check before the freeze. */
    public PreSnapshotResult preSnapshot(String taskId, String snapshotTaskToken, boolean isVMADEEnabled) {
        return preSnapshot(taskId, snapshotTaskToken, isVMADEEnabled, clock.instant().plus(timeout));
    }

    public PreSnapshotResult preSnapshot(String taskId, String snapshotTaskToken, boolean isVMADEEnabled, Instant deadline) {
        ObjectNode body = json.createObjectNode();
        body.put("taskId", taskId);
        body.put("snapshotTaskToken", snapshotTaskToken);
        ArrayNode settings = body.putArray("preSnapshotSettings");
        settings.addObject().put("Key", "isVMADEEnabled").put("Value", isVMADEEnabled);
        Answer answer = post(PRE_SNAPSHOT_PATH, body, deadline);
        if (answer.pseudoCode().isPresent()) {
            LOG.info("snapshot.host.presnapshot status={}", answer.pseudoCode().get());
            return PreSnapshotResult.of(answer.pseudoCode().get());
        }
        JsonNode response;
        try {
            response = json.readTree(answer.body());
        } catch (JsonProcessingException e) {
            LOG.warn("snapshot.host.presnapshot status={} error=\"unreadable body\"", answer.status());
            return PreSnapshotResult.of(answer.status() / 100 == 2 ? UNREADABLE : answer.status());
        }
        Optional<Instant> hostTime = HostResponses.responseTime(response.path("responseTime"));
        PreSnapshotResult result = new PreSnapshotResult(answer.status(), hostTime,
                HostResponses.optionalBoolean(response.get("isOsDiskADEEncrypted")), HostResponses.optionalBoolean(response.get("areDataDisksADEEncrypted")),
                Optional.ofNullable(response.get("DiskEncryptionSettings")).filter(n -> !n.isNull()).map(JsonNode::toString));
        LOG.info("snapshot.host.presnapshot status={} hostTime={} bhsVersion={}", answer.status(),
                hostTime.map(Instant::toString).orElse("none"), response.path("bhsVersion").asText(""));
        return result;
    }

    /**
     * @param pre the PreSnapshot answer whose ADE details go along (settings and metadata), if the VM uses ADE
     */
    public DoSnapshotResult doSnapshot(SnapshotRequest request, Optional<PreSnapshotResult> pre, Instant deadline) {
        ObjectNode body = json.createObjectNode();
        body.put("taskId", request.taskId());
        ArrayNode diskIds = body.putArray("diskIds");
        request.includeLunList().forEach(diskIds::add);
        ArrayNode settings = body.putArray("settings");
        new TreeMap<>(request.wellKnownFlags()).forEach((k, v) -> settings.addObject().put("Key", k).put("Value", v));
        body.put("snapshotTaskToken", request.snapshotTaskToken());
        ArrayNode metadata = body.putArray("snapshotMetadata");
        request.backupMetadata().forEach(e -> metadata.addObject().put("Key", e.key()).put("Value", e.value()));
        Optional<PreSnapshotResult> ade = pre.filter(p -> request.isVMADEEnabled() && p.diskEncryptionSettings().isPresent());
        if (ade.isPresent()) {
            settings.addObject().put("Key", "isOsDiskADEEncrypted").put("Value", ade.get().isOsDiskADEEncrypted().orElse(false));
            settings.addObject().put("Key", "areDataDisksADEEncrypted").put("Value", ade.get().areDataDisksADEEncrypted().orElse(false));
            metadata.addObject().put("Key", "DiskEncryptionSettings").set("Value", readOrText(ade.get().diskEncryptionSettings().get()));
        }
        if (request.instantAccessDurationMinutes() != null) {
            body.put("instantAccessDurationMinutes", request.instantAccessDurationMinutes());
        }
        Answer answer = post(DO_SNAPSHOT_PATH, body, deadline);
        if (answer.pseudoCode().isPresent()) {
            LOG.info("snapshot.host.dosnapshot status={}", answer.pseudoCode().get());
            return new DoSnapshotResult(answer.pseudoCode().get(), List.of(), answer.problem());
        }
        if (answer.status() / 100 != 2) {
            LOG.info("snapshot.host.dosnapshot status={}", answer.status());
            return new DoSnapshotResult(answer.status(), List.of());
        }
        try {
            List<SnapshotInfo> snapshots = HostResponses.snapshotInfos(json.readTree(answer.body()));
            LOG.info("snapshot.host.dosnapshot status={} disks={} succeeded={}", answer.status(), snapshots.size(),
                    snapshots.stream().filter(SnapshotInfo::isSuccessful).count());
            return new DoSnapshotResult(answer.status(), snapshots);
        } catch (IOException | RuntimeException e) {
            LOG.warn("snapshot.host.dosnapshot status={} error=\"unreadable body: {}\"", UNREADABLE, e.getClass().getSimpleName());
            return new DoSnapshotResult(UNREADABLE, List.of());
        }
    }

    /** @param problem why no answer came, for the operator; empty when one came */
    private record Answer(int status, String body, Optional<Integer> pseudoCode, String problem) {
        Answer(int status, String body, Optional<Integer> pseudoCode) {
            this(status, body, pseudoCode, "");
        }
    }

    private Answer post(String path, ObjectNode body, Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        Duration callTimeout = left.compareTo(timeout) < 0 ? left : timeout;
        if (callTimeout.toMillis() < 1) {
            return new Answer(0, "", Optional.of(NO_RESPONSE), "the freeze budget ran out before the call to the WireServer at "
                    + baseUrl);
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(callTimeout)
                    .header("Backup", "true")
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "VMSnapshot")
                    // Upstream's header name, without the hyphen; kept in case the host looks for it.
                    .header("UserAgent", "VMSnapshot")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body), StandardCharsets.UTF_8))
                    .build();
        } catch (JsonProcessingException e) {
            return new Answer(0, "", Optional.of(UNREADABLE));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Answer(0, "", Optional.of(NO_RESPONSE), noAnswer(e, callTimeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "", Optional.of(NO_RESPONSE), "interrupted while calling the WireServer at " + baseUrl);
        }
        String text = response.body() == null ? "" : response.body();
        int status = response.statusCode();
        if ((status == 200 || status == 201) && text.isBlank()) {
            return new Answer(status, text, Optional.of(EMPTY_BODY));
        }
        if (status == 500 && !text.strip().replace(" ", "").startsWith("{\"error\"")) {
            return new Answer(status, text, Optional.of(HOST_SERVICE_DOWN));
        }
        return new Answer(status, text, Optional.empty());
    }

    /* The base URL is the WireServer's address (or a test's); it holds no secret. */
    private String noAnswer(IOException e, Duration callTimeout) {
        String why = e instanceof HttpTimeoutException ? "no answer within " + callTimeout.toSeconds() + " s"
                : e instanceof ConnectException ? "cannot connect" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")")
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return "the WireServer at " + baseUrl + " did not answer: " + why;
    }

    private JsonNode readOrText(String jsonText) {
        try {
            return json.readTree(jsonText);
        } catch (JsonProcessingException e) {
            return json.getNodeFactory().textNode(jsonText);
        }
    }

    /** For tests and logs: which telemetry values stand for "no answer" etc. */
    static Map<Integer, String> pseudoCodes() {
        return Map.of(NO_RESPONSE, "no response", HOST_SERVICE_DOWN, "host snapshot service down",
                EMPTY_BODY, "empty body", UNREADABLE, "unreadable answer");
    }
}

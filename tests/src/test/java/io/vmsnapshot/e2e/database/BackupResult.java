package io.vmsnapshot.e2e.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.e2e.agent.AgentStatus;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One backup as the test saw it: the status the agent would upload, the status document the
 * backup service reads (carried as the substatus name), when enable was called and when the
 * terminal status appeared, and the snapshot of the data disk, if one was taken.
 */
record BackupResult(AgentStatus status, JsonNode serviceStatus, Instant started, Instant ended,
                    Optional<Path> dataDiskSnapshot) {
    private static final ObjectMapper JSON = new ObjectMapper();

    BackupResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(serviceStatus, "serviceStatus");
        Objects.requireNonNull(dataDiskSnapshot, "dataDiskSnapshot");
    }

    static JsonNode serviceStatusOf(AgentStatus status) {
        if (status.substatus().isEmpty()) {
            throw new AssertionError("the status carries no substatus: " + status);
        }
        try {
            return JSON.readTree(status.substatus().get(0).name()).get(0).get("status");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code vmHealthInfo.vmHealthStatusCode}: the first problem, e.g. 300 for a failed pre-script. */
    int healthCode() {
        return serviceStatus.path("vmHealthInfo").path("vmHealthStatusCode").asInt(-1);
    }

    /** {@code snapshotConsistency}: 2 application, 1 file system, 3 crash, 0 none. */
    int consistency() {
        try {
            return JSON.readTree(serviceStatus.path("formattedMessage").path("message").asText())
                    .path("snapshotConsistency").asInt(-1);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The sample script could not quiesce the database (failed, timed out, missing), so the backup
     * fell back to a file-system consistent snapshot: still a success for the service, with the
     * seed's health code and message telling the customer why.
     */
    void assertFileSystemConsistentFallback(int healthCode, String seedMessage) {
        assertEquals("success", status.status(), summary());
        assertEquals(1, status.code(), "a snapshot, not application consistent: " + status.message());
        assertEquals(1, consistency(), "file-system consistent: " + summary());
        assertEquals(healthCode, healthCode(), status.message());
        assertTrue(status.message().contains(seedMessage), "the seed's message: " + status.message());
    }

    Map<String, String> telemetry() {
        Map<String, String> telemetry = new LinkedHashMap<>();
        serviceStatus.path("telemetryData").forEach(kv -> telemetry.put(kv.path("Key").asText(), kv.path("Value").asText()));
        return telemetry;
    }

    long millis(String phase) {
        return Long.parseLong(telemetry().getOrDefault(phase + "Millis", "-1"));
    }

    /** From enable to the terminal status: what the agent waits, JVM starts included. */
    Duration wallTime() {
        return Duration.between(started, ended);
    }

    String summary() {
        StringBuilder text = new StringBuilder("status=" + status.status() + " code=" + status.code() + " health="
                + healthCode() + " consistency=" + consistency() + " |");
        for (String phase : List.of("pre", "freeze", "snapshot", "thaw", "freezeWindow", "post", "total")) {
            if (millis(phase) >= 0) {
                text.append(' ').append(phase).append('=').append(millis(phase)).append("ms");
            }
        }
        return text.append(" (worker) wall=").append(wallTime().toMillis()).append("ms (enable to final status)").toString();
    }
}

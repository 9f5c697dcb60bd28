package io.vmsnapshot.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the host's JSON answers leniently, as upstream does: {@code isSuccessful} as a boolean or
 * the string "true", the host time as separate UTC fields, DirectDrive identifiers with an
 * ISO-8601 creation time.
 */
final class HostResponses {
    private HostResponses() {
    }

    static List<SnapshotInfo> snapshotInfos(JsonNode response) {
        JsonNode array = response.get("snapshotInfo");
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("no snapshotInfo array");
        }
        List<SnapshotInfo> result = new ArrayList<>();
        for (JsonNode entry : array) {
            result.add(snapshotInfo(entry));
        }
        return result;
    }

    /** DirectDrive disks have no blob: their URI is cut at {@code /snapshots} and not reported (upstream §3.1). */
    private static SnapshotInfo snapshotInfo(JsonNode entry) {
        JsonNode successful = entry.path("isSuccessful");
        boolean ok = successful.isBoolean() ? successful.booleanValue() : "true".equalsIgnoreCase(successful.asText());
        String snapshotUri = text(entry.get("snapshotUri"));
        String errorMessage = text(entry.get("errorMessage"));
        int statusCode = entry.path("statusCode").asInt(ok ? 200 : 500);
        DirectDriveSnapshotIdentifier dd = directDrive(entry.get("ddSnapshotIdentifier"));
        String blobUri = snapshotUri;
        if (snapshotUri != null) {
            int end = dd != null ? snapshotUri.indexOf("/snapshots") : snapshotUri.indexOf('?');
            blobUri = end < 0 ? snapshotUri : snapshotUri.substring(0, end);
        }
        if (dd != null) {
            snapshotUri = null;
        }
        if (ok && snapshotUri == null && dd == null) {
            return new SnapshotInfo(false, null, "the host reported success without a snapshotUri", blobUri, null, statusCode);
        }
        if (!ok && errorMessage == null) {
            errorMessage = "the host reported a failure without a message (statusCode " + statusCode + ")";
        }
        return new SnapshotInfo(ok, snapshotUri, errorMessage, blobUri, dd, statusCode);
    }

    private static DirectDriveSnapshotIdentifier directDrive(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        Instant created = Instant.parse(node.path("creationTime").asText());
        JsonNode minutes = node.get("instantAccessDurationMinutes");
        return new DirectDriveSnapshotIdentifier(created, text(node.get("id")), text(node.get("token")),
                minutes == null || minutes.isNull() ? null : minutes.asInt());
    }

    static Optional<Instant> responseTime(JsonNode t) {
        if (t.isMissingNode() || t.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.of(t.path("year").asInt(), t.path("month").asInt(), t.path("day").asInt(),
                    t.path("hour").asInt(), t.path("minute").asInt(), t.path("second").asInt()).toInstant(ZoneOffset.UTC));
        } catch (java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    static Optional<Boolean> optionalBoolean(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        return Optional.of(node.isBoolean() ? node.booleanValue() : "true".equalsIgnoreCase(node.asText()));
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}

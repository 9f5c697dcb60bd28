package io.vmsnapshot.report;

import io.vmsnapshot.backup.BackupResult;
import io.vmsnapshot.backup.Consistency;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.snapshot.SnapshotTelemetry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The telemetryData of a backup's final status blob, typed: each value has a field, and only
 * {@link #entries} knows upstream's key names and value shapes (the service's dashboards parse them).
 *
 * @param phaseMillis           milliseconds per phase, in the order they ran (key {@code <phase>Millis})
 * @param scripts               empty when the backup stopped before it looked at the pre/post configuration
 * @param statusBlobUploadError the status blob upload failed, so this document is a second attempt
 * @param connection            how the storage calls went out ({@code storageProxy}, {@code caStore}); ours, not upstream's
 */
public record BackupTelemetry(SnapshotTelemetry snapshot, Map<String, Long> phaseMillis, long totalMillis,
                              Optional<BackupResult.Scripts> scripts, Consistency consistency, ErrorCode health,
                              String extensionVersion, boolean statusBlobUploadError, Map<String, String> connection) {
    public BackupTelemetry(SnapshotTelemetry snapshot, Map<String, Long> phaseMillis, long totalMillis,
                           Optional<BackupResult.Scripts> scripts, Consistency consistency, ErrorCode health,
                           String extensionVersion, boolean statusBlobUploadError) {
        this(snapshot, phaseMillis, totalMillis, scripts, consistency, health, extensionVersion, statusBlobUploadError,
                Map.of());
    }

    public BackupTelemetry {
        Objects.requireNonNull(snapshot, "snapshot");
        phaseMillis = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(phaseMillis));
        Objects.requireNonNull(scripts, "scripts");
        Objects.requireNonNull(consistency, "consistency");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(extensionVersion, "extensionVersion");
        connection = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(connection));
    }

    static BackupTelemetry of(BackupResult result, String extensionVersion, Map<String, String> connection) {
        return new BackupTelemetry(result.window().telemetry(), result.phaseMillis(), result.totalMillis(),
                result.scripts(), result.verdict().consistency(), result.verdict().healthCode(), extensionVersion, false,
                connection);
    }

    BackupTelemetry withStatusBlobUploadError() {
        return new BackupTelemetry(snapshot, phaseMillis, totalMillis, scripts, consistency, health, extensionVersion,
                true, connection);
    }

    /** Upstream's key/value pairs. */
    public Map<String, String> entries() {
        Map<String, String> out = new LinkedHashMap<>(snapshot.entries());
        phaseMillis.forEach((phase, value) -> out.put(phase + "Millis", Long.toString(value)));
        out.put("totalMillis", Long.toString(totalMillis));
        scripts.ifPresent(s -> {
            out.put("isPrePostEnabled", Boolean.toString(s.configured()));
            out.put("prePostEnabled", Boolean.toString(s.ran()));
        });
        out.put("consistencyType", consistency.telemetryName());
        out.put("extErrorCode", health.upstreamName());
        out.put("extensionVersion", extensionVersion);
        if (statusBlobUploadError) {
            out.put("statusBlobUploadError", "true");
        }
        out.putAll(connection);
        return out;
    }
}

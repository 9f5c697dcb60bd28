package io.vmsnapshot.snapshot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the snapshot step tells the service's telemetry, typed: who took the snapshots, what the
 * host's two calls answered (when they ran) and how long the snapshot took. Only {@link #entries}
 * knows upstream's key names.
 */
public record SnapshotTelemetry(Optional<SnapshotCreator> creator, OptionalInt hostStatusCodePreSnapshot,
                                OptionalInt hostStatusCodeDoSnapshot, Optional<Duration> snapshotTimeTaken) {
    public static final SnapshotTelemetry NONE = new SnapshotTelemetry(Optional.empty(), OptionalInt.empty(),
            OptionalInt.empty(), Optional.empty());

    public SnapshotTelemetry {
        Objects.requireNonNull(creator, "creator");
        Objects.requireNonNull(hostStatusCodePreSnapshot, "hostStatusCodePreSnapshot");
        Objects.requireNonNull(hostStatusCodeDoSnapshot, "hostStatusCodeDoSnapshot");
        Objects.requireNonNull(snapshotTimeTaken, "snapshotTimeTaken");
    }

    SnapshotTelemetry withCreator(SnapshotCreator value) {
        return new SnapshotTelemetry(Optional.of(value), hostStatusCodePreSnapshot, hostStatusCodeDoSnapshot,
                snapshotTimeTaken);
    }

    SnapshotTelemetry withPreSnapshot(int statusCode) {
        return new SnapshotTelemetry(creator, OptionalInt.of(statusCode), hostStatusCodeDoSnapshot, snapshotTimeTaken);
    }

    SnapshotTelemetry withDoSnapshot(int statusCode) {
        return new SnapshotTelemetry(creator, hostStatusCodePreSnapshot, OptionalInt.of(statusCode), snapshotTimeTaken);
    }

    SnapshotTelemetry withTimeTaken(Duration value) {
        return new SnapshotTelemetry(creator, hostStatusCodePreSnapshot, hostStatusCodeDoSnapshot, Optional.of(value));
    }

    /** These values, overridden by whatever {@code later} has (a host attempt after a guest one). */
    SnapshotTelemetry then(SnapshotTelemetry later) {
        return new SnapshotTelemetry(later.creator.or(() -> creator),
                later.hostStatusCodePreSnapshot.isPresent() ? later.hostStatusCodePreSnapshot : hostStatusCodePreSnapshot,
                later.hostStatusCodeDoSnapshot.isPresent() ? later.hostStatusCodeDoSnapshot : hostStatusCodeDoSnapshot,
                later.snapshotTimeTaken.or(() -> snapshotTimeTaken));
    }

    /** Upstream's telemetryData entries, in upstream's value shapes (the dashboards parse them). */
    public Map<String, String> entries() {
        Map<String, String> out = new LinkedHashMap<>();
        creator.ifPresent(c -> out.put("snapshotCreator", c.telemetryName()));
        hostStatusCodePreSnapshot.ifPresent(c -> out.put("hostStatusCodePreSnapshot", String.valueOf(c)));
        hostStatusCodeDoSnapshot.ifPresent(c -> out.put("hostStatusCodeDoSnapshot", String.valueOf(c)));
        snapshotTimeTaken.ifPresent(d -> out.put("snapshotTimeTaken", Telemetry.duration(d)));
        return out;
    }
}

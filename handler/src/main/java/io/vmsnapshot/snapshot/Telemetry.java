package io.vmsnapshot.snapshot;

import java.time.Duration;

/** Telemetry values in the shapes upstream sent them, so dashboards keep parsing. */
final class Telemetry {
    private Telemetry() {
    }

    /** Python's {@code str(timedelta)}: {@code H:MM:SS.ffffff}. */
    static String duration(Duration d) {
        long micros = d.toNanos() / 1_000;
        long seconds = micros / 1_000_000;
        return String.format("%d:%02d:%02d.%06d", seconds / 3600, (seconds / 60) % 60, seconds % 60, micros % 1_000_000);
    }
}

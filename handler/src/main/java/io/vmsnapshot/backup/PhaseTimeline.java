package io.vmsnapshot.backup;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Milliseconds spent in each phase of one backup, in the order they ran, for telemetry and the demo. */
final class PhaseTimeline {
    private final Clock clock;
    private final long start;
    private final Map<String, Long> millis = new LinkedHashMap<>();

    PhaseTimeline(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.start = clock.millis();
    }

    long now() {
        return clock.millis();
    }

    void record(String phase, long sinceMillis) {
        millis.put(phase, Math.max(0, clock.millis() - sinceMillis));
    }

    void put(String phase, long value) {
        millis.put(phase, value);
    }

    /** Each phase's milliseconds, in the order they ran. */
    Map<String, Long> phases() {
        return new LinkedHashMap<>(millis);
    }

    /** Milliseconds since the timeline started. */
    long total() {
        return Math.max(0, clock.millis() - start);
    }
}

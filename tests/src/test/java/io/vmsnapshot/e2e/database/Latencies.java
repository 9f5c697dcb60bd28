package io.vmsnapshot.e2e.database;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * p50, p99 and max latency of the transactions that were in flight at some point of a time window
 * (due before its end, committed after its start): the stall a writer saw, including the
 * transactions a stall delayed past the window's end.
 */
record Latencies(int count, Duration p50, Duration p99, Duration max) {
    static Latencies of(List<Commit> commits, Instant from, Instant to) {
        List<Duration> sorted = commits.stream()
                .filter(c -> !c.committed().isBefore(from) && !c.scheduled().isAfter(to))
                .map(Commit::latency).sorted(Comparator.naturalOrder()).toList();
        if (sorted.isEmpty()) {
            return new Latencies(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }
        return new Latencies(sorted.size(), percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1));
    }

    private static Duration percentile(List<Duration> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }

    @Override
    public String toString() {
        return String.format("n=%d p50=%.1fms p99=%.1fms max=%.1fms", count, p50.toNanos() / 1e6, p99.toNanos() / 1e6,
                max.toNanos() / 1e6);
    }
}

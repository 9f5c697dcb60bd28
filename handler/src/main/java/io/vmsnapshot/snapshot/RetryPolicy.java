package io.vmsnapshot.snapshot;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard a call to storage tries: the guest path inside the freeze budget, the status and logs
 * blob uploads after it. Backoff for retry {@code n} (1-based) is
 * {@code min(maxBackoff, initialBackoff * 2^(n-1))}, scaled by a jitter factor in [0.5, 1) so
 * that parallel disks throttled together do not retry in lockstep. Retries stop at the deadline.
 *
 * @param initialBackoff wait before the first retry (before jitter)
 * @param maxBackoff     cap of a single wait (before jitter)
 * @param attemptTimeout limit of one HTTP call (upstream: 10 s), further cut to the time left
 * @param maxParallel    disks snapshotted at once
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration attemptTimeout, int maxParallel) {
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Duration.ofMillis(250), Duration.ofSeconds(4), Duration.ofSeconds(10), 8);

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(attemptTimeout, "attemptTimeout");
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initialBackoff must be positive: " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must be >= initialBackoff (" + initialBackoff + ")");
        }
        if (attemptTimeout.isNegative() || attemptTimeout.isZero()) {
            throw new IllegalArgumentException("attemptTimeout must be positive: " + attemptTimeout);
        }
        if (maxParallel < 1) {
            throw new IllegalArgumentException("maxParallel must be at least 1: " + maxParallel);
        }
    }

    /** @param jitter a value in [0, 1) */
    public Duration backoff(int retry, double jitter) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry is 1-based: " + retry);
        }
        long nominal = initialBackoff.toMillis();
        for (int i = 1; i < retry && nominal < maxBackoff.toMillis(); i++) {
            nominal *= 2;
        }
        nominal = Math.min(nominal, maxBackoff.toMillis());
        return Duration.ofMillis(Math.round(nominal * (0.5 + 0.5 * jitter)));
    }
}

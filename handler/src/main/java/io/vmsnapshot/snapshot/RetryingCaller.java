package io.vmsnapshot.snapshot;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one storage call again after throttling, 5xx and network faults, with the policy's
 * jittered exponential backoff (or a longer {@code Retry-After}), until an answer is final or
 * the next wait would end past the deadline. Each try is cut to the time left; a try that the
 * deadline, not storage, timed out keeps storage's previous answer as the result, since "throttled
 * until the budget ran out" (173) tells the service more than "no answer" (76).
 */
final class RetryingCaller {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingCaller.class);

    private final HttpClient http;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RetryPolicy policy;
    private final DoubleSupplier jitter;

    RetryingCaller(HttpClient http, Clock clock, Sleeper sleeper, RetryPolicy policy, DoubleSupplier jitter) {
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
    }

    @FunctionalInterface
    interface RequestFactory {
        HttpRequest build(Duration timeout);
    }

    /** @param what names the call in log lines, without any token */
    Attempts send(String what, Instant deadline, RequestFactory factory) {
        HttpResponse<String> last = null;
        Exception lastError = null;
        int attempt = 0;
        while (true) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return new Attempts(attempt, last, lastError, true);
            }
            Duration timeout = min(policy.attemptTimeout(), left);
            HttpRequest request = factory.build(timeout);
            attempt++;
            try {
                last = http.send(request, HttpResponse.BodyHandlers.ofString());
                lastError = null;
                if (!Attempts.isRetryable(last)) {
                    return new Attempts(attempt, last, null, false);
                }
            } catch (IOException e) {
                if (e instanceof HttpTimeoutException && timeout.compareTo(policy.attemptTimeout()) < 0 && last != null) {
                    return new Attempts(attempt, last, null, true);
                }
                last = null;
                lastError = e;
                if (Attempts.isUntrustedCertificate(e)) {
                    // The same certificate comes back on every try: waiting only keeps the disks frozen.
                    return new Attempts(attempt, null, e, false);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Attempts(attempt, last, e, false);
            }
            Duration delay = policy.backoff(attempt, jitter.getAsDouble());
            if (last != null) {
                delay = max(delay, retryAfter(last));
            }
            if (!clock.instant().plus(delay).isBefore(deadline)) {
                return new Attempts(attempt, last, lastError, true);
            }
            LOG.warn("snapshot.guest.retry call=\"{}\" attempt={} status={} delayMs={}", what, attempt,
                    last != null ? String.valueOf(last.statusCode()) : lastError.getClass().getSimpleName(), delay.toMillis());
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Attempts(attempt, last, lastError != null ? lastError : e, false);
            }
        }
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v.strip())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }).orElse(Duration.ZERO);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}

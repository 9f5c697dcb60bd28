package io.vmsnapshot.report;

import io.vmsnapshot.logging.Redactor;
import io.vmsnapshot.snapshot.RetryPolicy;
import io.vmsnapshot.snapshot.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Uploads the status and logs documents to the SAS URIs the service gave: a block blob PUT as
 * upstream, three attempts, waiting between them as the {@link RetryPolicy} says (jittered
 * exponential backoff, like every other storage call). A failed upload never fails the backup; the
 * caller records it in telemetry ({@code statusBlobUploadError}).
 */
public final class BlobUploader {
    private static final int ATTEMPTS = 3;

    /** The blobs are written after the thaw: no freeze budget to keep, so each try may take 30 s as before. */
    public static final RetryPolicy POLICY = new RetryPolicy(Duration.ofMillis(250), Duration.ofSeconds(4),
            Duration.ofSeconds(30), 1);

    private final HttpClient http;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final DoubleSupplier jitter;
    private final Redactor redactor;

    public BlobUploader(HttpClient http, Redactor redactor) {
        this(http, POLICY, Sleeper.SYSTEM, () -> ThreadLocalRandom.current().nextDouble(), redactor);
    }

    /** @param jitter values in [0, 1) that scale each backoff; tests pass a constant */
    public BlobUploader(HttpClient http, RetryPolicy policy, Sleeper sleeper, DoubleSupplier jitter, Redactor redactor) {
        this.http = Objects.requireNonNull(http, "http");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        this.redactor = Objects.requireNonNull(redactor, "redactor");
    }

    /** @return empty when uploaded, else what went wrong (redacted) */
    public java.util.Optional<String> upload(String sasUri, String text) {
        String problem = "no attempt";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                try {
                    sleeper.sleep(policy.backoff(attempt - 1, jitter.getAsDouble()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return java.util.Optional.of("interrupted");
                }
            }
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(sasUri))
                        .timeout(policy.attemptTimeout())
                        .header("x-ms-blob-type", "BlockBlob")
                        .header("x-ms-version", BlobApi.VERSION)
                        .PUT(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
                        .build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 || response.statusCode() == 201) {
                    return java.util.Optional.empty();
                }
                problem = "HTTP " + response.statusCode() + " " + firstLine(response.body());
            } catch (IOException | IllegalArgumentException e) {
                problem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return java.util.Optional.of("interrupted");
            }
        }
        return java.util.Optional.of(redactor.redact(problem));
    }

    private static String firstLine(String body) {
        String line = body == null ? "" : body.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}

package io.vmsnapshot.report;

import io.vmsnapshot.logging.Redactor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * Uploads the status and logs documents to the SAS URIs the service gave: a block blob PUT as
 * upstream, three attempts. A failed upload never fails the backup; the caller records it in
 * telemetry ({@code statusBlobUploadError}).
 */
public final class BlobUploader {
    private static final int ATTEMPTS = 3;

    private final HttpClient http;
    private final Duration timeout;
    private final Redactor redactor;

    public BlobUploader(HttpClient http, Duration timeout, Redactor redactor) {
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.redactor = Objects.requireNonNull(redactor, "redactor");
    }

    /** @return empty when uploaded, else what went wrong (redacted) */
    public java.util.Optional<String> upload(String sasUri, String text) {
        String problem = "no attempt";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(sasUri))
                        .timeout(timeout)
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

package io.vmsnapshot.snapshot;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end of one retried storage call: the last response or error, and how many tries it took.
 * Knows which answers are worth another try and how to say what went wrong.
 */
record Attempts(int attempts, HttpResponse<String> response, Exception error, boolean budgetExhausted) {
    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]+)</Code>");

    boolean succeeded() {
        return response != null && (response.statusCode() == 200 || response.statusCode() == 201);
    }

    /** The HTTP status of the last answer; 500 when none came, as upstream reports it. */
    int statusCode() {
        return response != null ? response.statusCode() : 500;
    }

    static boolean isRetryable(HttpResponse<String> response) {
        int status = response.statusCode();
        return switch (status) {
            case 408, 429, 500, 502, 503, 504 -> true;
            case 409 -> SnapshotErrors.isRateExceeded(status, response.body()) && !SnapshotErrors.isCountExceeded(response.body());
            default -> false;
        };
    }

    /** A TLS handshake that failed on the server's certificate, not on the network. */
    static boolean isUntrustedCertificate(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    /** For {@code snapshotInfo.errorMessage}: storage's own error body, without the SAS. */
    String errorMessage(String sasUri) {
        if (response != null) {
            String body = response.body() == null ? "" : response.body().strip();
            return body.isEmpty() ? "HTTP " + response.statusCode() + storageCode().map(c -> " " + c).orElse("")
                    : BlobUris.scrub(body, sasUri);
        }
        return error == null ? "not attempted: the freeze budget ran out first" : BlobUris.scrub(describe(error), sasUri);
    }

    /** For the outcome's detail: what happened, in words an operator can act on. */
    String describe() {
        String tries = attempts <= 1 ? "" : " (" + attempts + " attempts" + (budgetExhausted ? ", until the freeze budget ran out" : "") + ")";
        if (response == null) {
            return error == null ? "not attempted: the freeze budget ran out before its turn"
                    : "no answer from storage: " + describe(error) + tries;
        }
        int status = response.statusCode();
        String head = "HTTP " + status + storageCode().map(c -> " " + c).orElse("") + ": ";
        String body = response.body() == null ? "" : response.body();
        String what;
        if (status == 403) {
            what = "storage refused the SAS URI (expired, or not valid for this blob); the service sends a fresh one with the next backup";
        } else if (status == 404) {
            what = "the blob does not exist (was the disk deleted or replaced?)";
        } else if (SnapshotErrors.isCountExceeded(body)) {
            what = "the blob has reached its maximum number of snapshots";
        } else if (SnapshotErrors.isRateExceeded(status, body)) {
            what = "storage throttled the snapshot calls to this blob";
        } else if (status >= 500) {
            what = "storage is unavailable";
        } else {
            what = "storage rejected the snapshot";
        }
        return head + what + tries;
    }

    private java.util.Optional<String> storageCode() {
        java.util.Optional<String> header = response.headers().firstValue("x-ms-error-code");
        if (header.isPresent()) {
            return header;
        }
        Matcher m = ERROR_CODE.matcher(response.body() == null ? "" : response.body());
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    private static String describe(Exception e) {
        if (e instanceof HttpTimeoutException) {
            return "the call timed out";
        }
        if (e instanceof ConnectException) {
            return "cannot connect" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        }
        if (e instanceof InterruptedException) {
            return "interrupted";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}

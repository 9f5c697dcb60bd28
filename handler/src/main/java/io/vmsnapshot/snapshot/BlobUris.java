package io.vmsnapshot.snapshot;

import io.vmsnapshot.logging.Redactor;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The little URL surgery both snapshot paths need. SAS URIs are handled as text, not parsed and
 * re-encoded, so the signature reaches storage byte for byte as the service signed it.
 */
final class BlobUris {
    private BlobUris() {
    }

    /** The URI without its query: safe to log and to show, it names the blob without the token. */
    static String withoutQuery(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /** Appends a query parameter with '&' or, if the URI has no query yet, '?'. */
    static String withParameter(String uri, String parameter) {
        if (uri.endsWith("?") || uri.endsWith("&")) {
            return uri + parameter;
        }
        return uri + (uri.indexOf('?') < 0 ? '?' : '&') + parameter;
    }

    /** The query string alone (after '?'), or empty; what must never reach a message. */
    static String query(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? "" : uri.substring(query + 1);
    }

    /** How an operator finds the disk: its 1-based position in blobSASUri and its blob URL. */
    static String describeDisk(int index, String sasUri) {
        return "disk " + (index + 1) + " (" + withoutQuery(sasUri) + ")";
    }

    /**
     * Removes the SAS query and its signature (raw and decoded), should storage ever echo them
     * back in an error body, plus anything else that looks like a signature.
     */
    static String scrub(String text, String sasUri) {
        Redactor redactor = new Redactor();
        String query = query(sasUri);
        redactor.addSecret(query);
        for (String parameter : query.split("&")) {
            if (parameter.regionMatches(true, 0, "sig=", 0, 4)) {
                String signature = parameter.substring(4);
                redactor.addSecret(signature);
                redactor.addSecret(URLDecoder.decode(signature, StandardCharsets.UTF_8));
            }
        }
        return redactor.redact(text);
    }
}

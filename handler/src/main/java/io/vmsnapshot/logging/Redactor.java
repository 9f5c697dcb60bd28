package io.vmsnapshot.logging;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Removes secrets from text before it reaches a log, a status or telemetry: the signature and
 * every other query parameter of SAS URIs, and any value registered as secret at run time
 * (decrypted protected settings, task tokens).
 */
public final class Redactor {
    /** What both patterns need somewhere in a text, in any case. */
    private static final String SIGNATURE_FIELD = "sig=";
    private static final String MASK = "REDACTED";
    private static final int SHORTEST_SECRET = 6;

    /**
     * A named class, not {@code Comparator.comparingInt(...).reversed()}: the JVM would spin that
     * lambda's class at the first log line of every process (some 3 ms of enable), since the AOT
     * cache cannot hold it.
     */
    private static final Comparator<String> LONGEST_FIRST = new LongestFirst();

    private final Set<String> secrets = ConcurrentHashMap.newKeySet();

    /** Values shorter than a few characters are not registered: masking "1" everywhere hides nothing. */
    public void addSecret(String value) {
        if (value != null && value.length() >= SHORTEST_SECRET) {
            secrets.add(value);
        }
    }

    public String redact(String text) {
        Objects.requireNonNull(text, "text");
        String redacted = text;
        // Longest first: a secret that contains another (a SAS query and its signature) must be
        // masked whole, not left with its remainder showing after the shorter one was replaced.
        String[] longestFirst = secrets.toArray(new String[0]);
        Arrays.sort(longestFirst, LONGEST_FIRST);
        for (String secret : longestFirst) {
            redacted = redacted.replace(secret, MASK);
        }
        // Most lines carry no signature: a look for "sig=" first spares them two regexes, the costliest
        // part of a log line in a short-lived process (its code still interpreted), and their compiling.
        if (!containsIgnoringCase(redacted, SIGNATURE_FIELD)) {
            return redacted;
        }
        redacted = SasPatterns.SAS_QUERY.matcher(redacted).replaceAll("$1?" + MASK);
        return SasPatterns.SIGNATURE.matcher(redacted).replaceAll("$1" + MASK);
    }

    private static boolean containsIgnoringCase(String text, String part) {
        for (int i = 0; i + part.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, part, 0, part.length())) {
                return true;
            }
        }
        return false;
    }

    /** Compiled at the first text with a signature in it. */
    private static final class SasPatterns {
        /** A SAS query string: everything after '?' in a URL that carries a signature. */
        static final Pattern SAS_QUERY =
                Pattern.compile("(?i)(https?://[^\\s\"'<>?]*)\\?([^\\s\"'<>]*\\bsig=[^\\s\"'<>]*)");
        /** A bare signature, e.g. in a query string without the URL in front. */
        static final Pattern SIGNATURE = Pattern.compile("(?i)\\b(sig=)[^&\\s\"'<>]+");
    }

    private static final class LongestFirst implements Comparator<String> {
        @Override
        public int compare(String a, String b) {
            return Integer.compare(b.length(), a.length());
        }
    }
}

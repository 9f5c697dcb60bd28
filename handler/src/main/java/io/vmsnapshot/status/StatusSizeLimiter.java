package io.vmsnapshot.status;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Shrinks a status report until its file fits the agent's limit. Above 128 KiB the agent
 * truncates on its own and drops substatus entries (docs/agent-contract.md §9), which would cut the
 * result out of our one substatus; below it, what we chose to keep arrives intact.
 *
 * <p>The texts that can be long (the top message, and each substatus name and message) are cut
 * to one common length, the longest that sheds enough bytes, so a huge text loses most and short
 * ones keep everything. Substatus entries are dropped from the end only when cutting every text
 * is not enough.
 */
final class StatusSizeLimiter {
    static final String TRUNCATED = " ... [TRUNCATED]";
    /** A substatus costs more than this much JSON even with empty texts. */
    private static final int SMALLEST_SUBSTATUS_BYTES = 64;

    private final int maxBytes;

    StatusSizeLimiter(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** @return the serialized form of {@code report}, or of a shortened copy, within the limit */
    byte[] fit(StatusReport report, Function<StatusReport, byte[]> serializer) {
        int mostSubstatus = maxBytes / SMALLEST_SUBSTATUS_BYTES;
        StatusReport original = report.substatus().size() > mostSubstatus
                ? withSubstatus(report, mostSubstatus)
                : report;
        StatusReport candidate = original;
        byte[] bytes = serializer.apply(candidate);
        long shed = 0;
        while (bytes.length > maxBytes) {
            // Accumulated against the original texts: each round asks for at least one byte more.
            shed += bytes.length - maxBytes;
            int cap = longestCap(texts(original), shed);
            if (cap >= 0) {
                candidate = capped(original, cap);
            } else if (!original.substatus().isEmpty()) {
                original = withSubstatus(original, original.substatus().size() / 2);
                candidate = original;
                shed = 0;
            } else {
                throw new IllegalArgumentException("status report of " + bytes.length
                        + " bytes cannot be shrunk below " + maxBytes + " bytes: its name or operation is too long");
            }
            bytes = serializer.apply(candidate);
        }
        return bytes;
    }

    /** The longest length to cut every text to so that together they shed {@code shed} bytes, or -1. */
    private static int longestCap(List<EncodedText> texts, long shed) {
        if (reduction(texts, 0) < shed) {
            return -1;
        }
        int low = 0;
        int high = texts.stream().mapToInt(EncodedText::length).max().orElse(0);
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (reduction(texts, middle) >= shed) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    /** Bytes saved by cutting every text longer than {@code cap} plus the marker to cap + marker. */
    private static long reduction(List<EncodedText> texts, int cap) {
        long saved = 0;
        for (EncodedText text : texts) {
            if (text.length() > cap + TRUNCATED.length()) {
                saved += text.bytes(text.length()) - text.bytes(cap) - TRUNCATED.length();
            }
        }
        return saved;
    }

    private static List<EncodedText> texts(StatusReport report) {
        List<EncodedText> texts = new ArrayList<>();
        texts.add(new EncodedText(report.formattedMessage().message()));
        for (Substatus substatus : report.substatus()) {
            texts.add(new EncodedText(substatus.name()));
            texts.add(new EncodedText(substatus.formattedMessage().message()));
        }
        return texts;
    }

    private static StatusReport capped(StatusReport report, int cap) {
        List<Substatus> substatus = report.substatus().stream()
                .map(entry -> new Substatus(cut(entry.name(), cap), entry.status(), entry.code(),
                        cut(entry.formattedMessage(), cap)))
                .toList();
        return new StatusReport(report.name(), report.operation(), report.status(), report.code(),
                cut(report.formattedMessage(), cap), substatus, report.timestamp());
    }

    private static FormattedMessage cut(FormattedMessage message, int cap) {
        return new FormattedMessage(message.lang(), cut(message.message(), cap));
    }

    static String cut(String text, int cap) {
        if (text.length() <= cap + TRUNCATED.length()) {
            return text;
        }
        int end = cap;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + TRUNCATED;
    }

    private static StatusReport withSubstatus(StatusReport report, int count) {
        return new StatusReport(report.name(), report.operation(), report.status(), report.code(),
                report.formattedMessage(), report.substatus().subList(0, count), report.timestamp());
    }

    /**
     * A text with the size of each of its prefixes as JSON string content in UTF-8, so a cut can
     * be chosen by the bytes it saves: one char costs from 1 byte to 6 (a control char escaped).
     */
    private static final class EncodedText {
        private final int[] prefixBytes;

        EncodedText(String text) {
            prefixBytes = new int[text.length() + 1];
            for (int i = 0; i < text.length(); i++) {
                prefixBytes[i + 1] = prefixBytes[i] + jsonBytes(text, i);
            }
        }

        int length() {
            return prefixBytes.length - 1;
        }

        int bytes(int chars) {
            return prefixBytes[Math.min(chars, length())];
        }

        private static int jsonBytes(String text, int i) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                // Half of a pair is 2 of its 4 UTF-8 bytes; Jackson writes a lone one as a six-byte escape.
                // Counting it as 2 made a text of lone surrogates unshrinkable (found by fuzzing).
                boolean paired = Character.isHighSurrogate(c)
                        ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                        : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
                return paired ? 2 : 6;
            }
            return jsonBytes(c);
        }

        private static int jsonBytes(char c) {
            if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
                return 2;
            }
            if (c < 0x20) {
                return 6;
            }
            if (c < 0x80) {
                return 1;
            }
            if (c < 0x800) {
                return 2;
            }
            return 3;
        }
    }
}

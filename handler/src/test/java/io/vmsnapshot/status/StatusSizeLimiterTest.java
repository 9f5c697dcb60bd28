package io.vmsnapshot.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusSizeLimiterTest {
    /** What a substatus costs in JSON besides its texts, roughly. */
    private static final String SUBSTATUS_OVERHEAD = "_".repeat(70);

    /** A stand-in serializer: the texts joined, so sizes are easy to reason about. */
    private static byte[] serialize(StatusReport report) {
        StringBuilder text = new StringBuilder(report.name()).append(report.formattedMessage().message());
        report.substatus().forEach(s -> text.append(SUBSTATUS_OVERHEAD).append(s.name())
                .append(s.formattedMessage().message()));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void fit_cutsTheLongestTextFirstAndLeavesShortOnesAlone() {
        StatusReport report = report("x".repeat(5000), List.of(substatus("y".repeat(100), "z".repeat(50))));

        byte[] fitted = new StatusSizeLimiter(1000).fit(report, StatusSizeLimiterTest::serialize);

        String text = new String(fitted, StandardCharsets.UTF_8);
        assertTrue(fitted.length <= 1000, "size " + fitted.length);
        assertTrue(fitted.length >= 1000 - 2, "keeps as much as fits: " + fitted.length);
        assertTrue(text.contains("y".repeat(100)) && text.contains("z".repeat(50)), text);
        assertTrue(text.contains("x ... [TRUNCATED]"), text);
    }

    @Test
    void fit_whenAllTextsAreLong_cutsThemToOneCommonLength() {
        StatusReport report = report("x".repeat(3000), List.of(substatus("y".repeat(3000), "z".repeat(3000))));

        byte[] fitted = new StatusSizeLimiter(3000).fit(report, StatusSizeLimiterTest::serialize);

        String text = new String(fitted, StandardCharsets.UTF_8);
        assertTrue(fitted.length <= 3000);
        assertEquals(count(text, 'x'), count(text, 'y'));
        assertEquals(count(text, 'x'), count(text, 'z'));
    }

    @Test
    void fit_whenTextsAloneCannotShrinkEnough_dropsSubstatusFromTheEnd() {
        List<Substatus> many = List.of(substatus("first", ""), substatus("x", ""), substatus("x", ""),
                substatus("x", ""));

        byte[] fitted = new StatusSizeLimiter(256).fit(report("", many), StatusSizeLimiterTest::serialize);

        assertEquals("name" + SUBSTATUS_OVERHEAD + "first" + SUBSTATUS_OVERHEAD + "x",
                new String(fitted, StandardCharsets.UTF_8));
    }

    @Test
    void fit_whenTheFixedFieldsAloneAreTooLarge_fails() {
        StatusReport report = new StatusReport("n".repeat(100), "Enable", StatusType.ERROR, 1,
                FormattedMessage.english(""), List.of(), Instant.EPOCH);

        assertThrows(IllegalArgumentException.class,
                () -> new StatusSizeLimiter(50).fit(report, StatusSizeLimiterTest::serialize));
    }

    @Test
    void cut_neverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        String text = "ab" + emoji + "c".repeat(100);

        String cut = StatusSizeLimiter.cut(text, 3);

        assertEquals("ab" + StatusSizeLimiter.TRUNCATED, cut);
    }

    @Test
    void cut_shortText_isUnchanged() {
        assertEquals("short", StatusSizeLimiter.cut("short", 0));
    }

    private static long count(String text, char c) {
        return text.chars().filter(ch -> ch == c).count();
    }

    private static StatusReport report(String message, List<Substatus> substatus) {
        return new StatusReport("name", "Enable", StatusType.ERROR, 1, FormattedMessage.english(message), substatus,
                Instant.EPOCH);
    }

    private static Substatus substatus(String name, String message) {
        return new Substatus(name, StatusType.ERROR, 1, FormattedMessage.english(message));
    }
}

package io.vmsnapshot.logging;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A log line's time, in UTC to the millisecond, always 24 characters ({@code
 * 2026-12-08T02:13:00.436Z}) so that lines sort and parse alike. Assembled by hand: a
 * DateTimeFormatter or SimpleDateFormat would set up locale data in every short-lived process.
 */
final class LogTimestamp {
    private LogTimestamp() {
    }

    static String of(long epochMillis) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000L), 0, ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(24);
        pad(text, time.getYear(), 4).append('-');
        pad(text, time.getMonthValue(), 2).append('-');
        pad(text, time.getDayOfMonth(), 2).append('T');
        pad(text, time.getHour(), 2).append(':');
        pad(text, time.getMinute(), 2).append(':');
        pad(text, time.getSecond(), 2).append('.');
        return pad(text, (int) Math.floorMod(epochMillis, 1000L), 3).append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder text, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            text.append('0');
        }
        return text.append(digits);
    }
}

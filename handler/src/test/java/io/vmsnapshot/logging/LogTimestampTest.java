package io.vmsnapshot.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogTimestampTest {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void aTimeIsWrittenInUtcToTheMillisecondWithEveryFieldPadded() {
        assertEquals("2026-12-08T02:13:00.436Z", LogTimestamp.of(Instant.parse("2026-12-08T02:13:00.436Z").toEpochMilli()));
        assertEquals("2027-01-01T00:00:00.000Z", LogTimestamp.of(Instant.parse("2027-01-01T00:00:00Z").toEpochMilli()));
        assertEquals("1970-01-01T00:00:00.000Z", LogTimestamp.of(0));
    }

    @Test
    void everyTimeReadsAsTheJdkFormatterWritesIt_leapDaysAndTimesBefore1970Included() {
        Random random = new Random(13);
        for (int i = 0; i < 20_000; i++) {
            long millis = random.nextLong() % 8_000_000_000_000L;
            assertEquals(ISO_MILLIS.format(Instant.ofEpochMilli(millis)), LogTimestamp.of(millis), "at " + millis);
        }
        long leapDay = Instant.parse("2028-02-29T23:59:59.999Z").toEpochMilli();
        assertEquals("2028-02-29T23:59:59.999Z", LogTimestamp.of(leapDay));
    }
}

package io.vmsnapshot.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandDeadlineTest {
    @Test
    void fromTicks_convertsDotNetTicksToTheInstant() {
        assertEquals(Instant.parse("2022-09-28T22:13:20Z"), CommandDeadline.fromTicks(638_000_000_000_000_000L));
        assertEquals(Instant.EPOCH, CommandDeadline.fromTicks(621_355_968_000_000_000L));
    }

    @Test
    void fromTicks_keepsTheHundredNanosecondRemainder() {
        assertEquals(Instant.parse("2022-09-28T22:13:20.0000001Z"), CommandDeadline.fromTicks(638_000_000_000_000_001L));
    }

    @Test
    void fromTicks_beforeTheEpoch_roundsTowardsTheEarlierSecond() {
        assertEquals(Instant.parse("1969-12-31T23:59:59.9999999Z"), CommandDeadline.fromTicks(621_355_967_999_999_999L));
    }

    @Test
    void tooLate_withoutTicks_isNeverLate() {
        assertTrue(CommandDeadline.tooLate(Optional.empty(), Instant.MAX).isEmpty());
    }

    @Test
    void tooLate_atExactly140Minutes_isStillInTime() {
        Instant start = CommandDeadline.fromTicks(638_000_000_000_000_000L);
        assertTrue(CommandDeadline.tooLate(Optional.of(638_000_000_000_000_000L), start.plus(Duration.ofMinutes(140)))
                .isEmpty());
    }

    @Test
    void tooLate_oneSecondPast140Minutes_saysHowLate() {
        Instant start = CommandDeadline.fromTicks(638_000_000_000_000_000L);
        Duration late = Duration.ofMinutes(140).plusSeconds(1);
        assertEquals(Optional.of(late), CommandDeadline.tooLate(Optional.of(638_000_000_000_000_000L), start.plus(late)));
    }

    @Test
    void tooLate_whenTheCommandIsFromTheFuture_isNotLate() {
        Instant start = CommandDeadline.fromTicks(638_000_000_000_000_000L);
        assertTrue(CommandDeadline.tooLate(Optional.of(638_000_000_000_000_000L), start.minusSeconds(3600)).isEmpty());
    }

    @Test
    void tooLate_withTheHostsTime_trustsItOverALocalClockThatIsBehind() {
        Instant start = CommandDeadline.fromTicks(638_000_000_000_000_000L);

        Optional<Duration> late = CommandDeadline.tooLate(Optional.of(638_000_000_000_000_000L),
                Optional.of(start.plus(Duration.ofMinutes(141))), start.plus(Duration.ofMinutes(10)));

        assertEquals(Optional.of(Duration.ofMinutes(141)), late);
    }

    @Test
    void tooLate_withTheHostsTime_trustsItOverALocalClockThatIsAhead() {
        Instant start = CommandDeadline.fromTicks(638_000_000_000_000_000L);

        assertTrue(CommandDeadline.tooLate(Optional.of(638_000_000_000_000_000L),
                Optional.of(start.plus(Duration.ofMinutes(139))), start.plus(Duration.ofDays(1))).isEmpty());
    }

    @Test
    void tooLate_withoutTheHostsTime_usesTheLocalClock() {
        Instant start = CommandDeadline.fromTicks(638_000_000_000_000_000L);

        assertEquals(Optional.of(Duration.ofMinutes(150)), CommandDeadline.tooLate(Optional.of(638_000_000_000_000_000L),
                Optional.empty(), start.plus(Duration.ofMinutes(150))));
    }
}

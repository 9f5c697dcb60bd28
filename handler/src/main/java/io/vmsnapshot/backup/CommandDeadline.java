package io.vmsnapshot.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The "arrived too late" rule (docs/backup-flow.md §1.6): the service gives up on a backup 140 minutes after
 * it sent the command, so a snapshot taken later would be of no use to anyone and only freezes the VM.
 */
final class CommandDeadline {
    static final Duration LIMIT = Duration.ofMinutes(140);
    /** .NET ticks (100 ns since 0001-01-01T00:00Z) at the Unix epoch. */
    private static final long TICKS_AT_EPOCH = 621_355_968_000_000_000L;

    private CommandDeadline() {
    }

    static Instant fromTicks(long ticks) {
        long sinceEpoch = ticks - TICKS_AT_EPOCH;
        return Instant.EPOCH.plusSeconds(Math.floorDiv(sinceEpoch, 10_000_000L))
                .plusNanos(Math.floorMod(sinceEpoch, 10_000_000L) * 100L);
    }

    /**
     * Upstream's "now" (docs/backup-flow.md §1.6): the host's clock from PreSnapshot when it gave one, as
     * the VM's clock may be wrong; the VM's otherwise.
     *
     * @return how late, when later than the limit
     */
    static Optional<Duration> tooLate(Optional<Long> commandStartTicks, Optional<Instant> hostNow, Instant localNow) {
        return tooLate(commandStartTicks, hostNow.orElse(localNow));
    }

    /** @return how late, when later than the limit */
    static Optional<Duration> tooLate(Optional<Long> commandStartTicks, Instant now) {
        if (commandStartTicks.isEmpty()) {
            return Optional.empty();
        }
        Duration age = Duration.between(fromTicks(commandStartTicks.get()), now);
        return age.compareTo(LIMIT) > 0 ? Optional.of(age) : Optional.empty();
    }
}

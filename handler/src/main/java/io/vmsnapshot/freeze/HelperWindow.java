package io.vmsnapshot.freeze;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a freeze helper that is still alive has outlived any window in which it could hold a
 * freeze for a backup: its record's time, plus its own timeout (argument 1 of its command line),
 * plus a margin beyond any freeze wait and thaw wait. Such a helper is stuck in the kernel (a
 * FIFREEZE or FITHAW that does not return) and will never thaw what it froze before.
 */
public final class HelperWindow {
    /** Beyond upstream's freeze wait (66 s, raised by some customers) and the thaw wait together. */
    public static final Duration DEFAULT_MARGIN = Duration.ofMinutes(10);
    private static final long MAX_TIMEOUT_SECONDS = 86_400;

    private final Path procRoot;
    private final Clock clock;
    private final Optional<Duration> margin;

    private HelperWindow(Path procRoot, Clock clock, Optional<Duration> margin) {
        this.procRoot = procRoot;
        this.clock = clock;
        this.margin = margin;
    }

    public static HelperWindow of(Path procRoot, Clock clock, Duration margin) {
        return new HelperWindow(Objects.requireNonNull(procRoot, "procRoot"), Objects.requireNonNull(clock, "clock"),
                Optional.of(margin));
    }

    /** A live helper is never taken as stuck (the rule before there was one). */
    static HelperWindow unbounded() {
        return new HelperWindow(null, null, Optional.empty());
    }

    boolean overrun(FreezeRecord record) {
        if (margin.isEmpty()) {
            return false;
        }
        Instant created;
        try {
            created = Instant.parse(record.createdAt());
        } catch (DateTimeParseException e) {
            return false;
        }
        return clock.instant().isAfter(created.plusSeconds(timeoutSeconds(record.helperPid())).plus(margin.get()));
    }

    private long timeoutSeconds(long pid) {
        List<String> argv = ProcStat.commandLine(procRoot, pid);
        try {
            return argv.size() > 1 ? Math.min(MAX_TIMEOUT_SECONDS, Long.parseLong(argv.get(1))) : MAX_TIMEOUT_SECONDS;
        } catch (NumberFormatException e) {
            return MAX_TIMEOUT_SECONDS;
        }
    }
}

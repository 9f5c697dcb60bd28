package io.vmsnapshot.process;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a child ended. Exactly one of {@code exitCode} and {@code signal} is set. The JDK reports a
 * death by signal N as status 128+N (the shell's convention), so statuses 129..192 are reported as
 * signals; a script that itself calls {@code exit 130} is therefore reported as signal 2.
 *
 * @param timedOut   the timeout expired and the process group was killed
 * @param leftovers  some process of the group survived SIGKILL (e.g. stuck in uninterruptible IO)
 */
public record ProcessResult(Integer exitCode, Integer signal, boolean timedOut, Duration duration,
        List<String> lastLines, boolean leftovers) {

    private static final int SIGNAL_BASE = 128;
    private static final int HIGHEST_SIGNAL = 64;

    public ProcessResult {
        if ((exitCode == null) == (signal == null)) {
            throw new IllegalArgumentException("exactly one of exitCode and signal: " + exitCode + "/" + signal);
        }
        Objects.requireNonNull(duration, "duration");
        lastLines = List.copyOf(lastLines);
    }

    /** Maps the JDK's exit status to an exit code or a signal number. */
    public static ProcessResult fromStatus(int status, boolean timedOut, Duration duration, List<String> lastLines,
            boolean leftovers) {
        boolean bySignal = status > SIGNAL_BASE && status <= SIGNAL_BASE + HIGHEST_SIGNAL;
        return new ProcessResult(bySignal ? null : status, bySignal ? status - SIGNAL_BASE : null, timedOut,
                duration, lastLines, leftovers);
    }

    public boolean succeeded() {
        return !timedOut && exitCode != null && exitCode == 0;
    }
}

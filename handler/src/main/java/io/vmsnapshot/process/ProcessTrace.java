package io.vmsnapshot.process;

import java.util.Objects;

/**
 * How a later process recognises a script and everything it started, once the process that
 * launched it is gone: the marker every one of them inherits in its environment, and the script's
 * pid with its start time ({@code /proc/<pid>/stat} field 22), which together name one process
 * even after the pid is reused.
 *
 * @param marker     the value of {@link GroupProcessLauncher#MARKER_VARIABLE} the script was given
 * @param pid        the script's pid, the id of its group and session; 0 when the start is not confirmed
 * @param startTicks the script's start time in clock ticks since boot; meaningless when {@code pid} is 0
 */
public record ProcessTrace(String marker, long pid, long startTicks) {
    public ProcessTrace {
        Objects.requireNonNull(marker, "marker");
        if (!GroupProcessLauncher.isMarker(marker)) {
            throw new IllegalArgumentException("not a process marker: " + marker);
        }
        if (pid < 0 || startTicks < 0) {
            throw new IllegalArgumentException("pid and startTicks must not be negative: " + pid + "/" + startTicks);
        }
    }

    /** Before the start: only the marker is known yet. */
    public static ProcessTrace beforeStart(String marker) {
        return new ProcessTrace(marker, 0, 0);
    }

    public boolean started() {
        return pid > 0;
    }
}

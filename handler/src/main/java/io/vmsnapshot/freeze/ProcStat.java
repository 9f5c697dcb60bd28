package io.vmsnapshot.freeze;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * A process's start time from {@code /proc/<pid>/stat} (field 22, clock ticks since boot): with the
 * pid it names one process, even after the pid is reused. Also its command line, for when the
 * start time is not known.
 */
final class ProcStat {
    private static final int START_TIME_AFTER_COMM = 19;

    private ProcStat() {
    }

    /** Empty when there is no such process. */
    static OptionalLong startTicks(Path procRoot, long pid) {
        String stat;
        try {
            stat = Files.readString(procRoot.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        // The command name (field 2) is in parentheses and may itself hold spaces and ')'.
        int commEnd = stat.lastIndexOf(')');
        String[] fields = stat.substring(commEnd + 1).trim().split(" ");
        if (commEnd < 0 || fields.length <= START_TIME_AFTER_COMM) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(fields[START_TIME_AFTER_COMM]));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The arguments of {@code /proc/<pid>/cmdline}; empty when there is no such process (or a zombie). */
    static List<String> commandLine(Path procRoot, long pid) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(procRoot.resolve(Long.toString(pid)).resolve("cmdline"));
        } catch (IOException e) {
            return List.of();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.endsWith("\0")) {
            text = text.substring(0, text.length() - 1);
        }
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\0", -1));
    }
}

package io.vmsnapshot.process;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@code /proc/<pid>/stat}: the one place that knows process groups and sessions, which
 * {@link ProcessHandle} does not expose. A zombie counts as gone: it holds no resources and, in a
 * container whose init never reaps, would otherwise look alive forever.
 */
final class ProcTable {
    /** One process: the fields of {@code stat} we need, {@code startTicks} tells reused pids apart. */
    record Entry(long pid, long parent, long group, long session, char state, long startTicks) {
        boolean isLive() {
            return state != 'Z' && state != 'X';
        }
    }

    /** A stat line is well under 1 KiB; the fields we need come first. */
    private static final int STAT_BYTES = 1024;
    /** The kernel limits the environment to a quarter of the stack limit; the marker is near its end. */
    private static final int MAX_ENVIRON_BYTES = 4 * 1024 * 1024;
    private static final Pattern FIELD_SEPARATOR = Pattern.compile(" ");

    private final Path procRoot;

    ProcTable(Path procRoot) {
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
    }

    List<Entry> all() {
        String[] names = procRoot.toFile().list();
        List<Entry> entries = new ArrayList<>(names == null ? 0 : names.length);
        if (names == null) {
            return entries; // no /proc: the caller still kills what it knows by pid
        }
        for (String name : names) {
            if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                read(Long.parseLong(name)).ifPresent(entries::add);
            }
        }
        return entries;
    }

    Optional<Entry> read(long pid) {
        try (FileInputStream in = new FileInputStream(procRoot.resolve(Long.toString(pid)).resolve("stat").toFile())) {
            byte[] stat = new byte[STAT_BYTES];
            int length = in.read(stat, 0, STAT_BYTES);
            return Optional.of(parse(pid, new String(stat, 0, Math.max(length, 0), StandardCharsets.ISO_8859_1)));
        } catch (IOException | RuntimeException e) {
            // Gone between listing and reading, or unreadable: either way not a process we can act on.
            return Optional.empty();
        }
    }

    /**
     * Whether {@code /proc/<pid>/environ} holds exactly this {@code NAME=value} entry. Only the
     * environment survives a double fork into a new session (parent and session are both new), so
     * it is how the processes of one script are found once they have escaped its group.
     */
    boolean environContains(long pid, byte[] entry) {
        byte[] environ;
        try (FileInputStream in = new FileInputStream(procRoot.resolve(Long.toString(pid)).resolve("environ").toFile())) {
            environ = in.readNBytes(MAX_ENVIRON_BYTES);
        } catch (IOException | RuntimeException e) {
            return false; // gone, a kernel thread, or not ours to read
        }
        for (int start = 0; start + entry.length <= environ.length; ) {
            if (Arrays.equals(environ, start, start + entry.length, entry, 0, entry.length)
                    && (start + entry.length == environ.length || environ[start + entry.length] == 0)) {
                return true;
            }
            int end = start;
            while (end < environ.length && environ[end] != 0) {
                end++;
            }
            start = end + 1;
        }
        return false;
    }

    /** Whether the very same process (same start time) still exists and is not a zombie. */
    boolean isLive(Entry entry) {
        return read(entry.pid()).filter(now -> now.startTicks() == entry.startTicks()).map(Entry::isLive)
                .orElse(false);
    }

    static Entry parse(long pid, String stat) {
        // The command name (field 2) is in parentheses and may itself contain spaces or ')'.
        String[] fields = FIELD_SEPARATOR.split(stat.substring(stat.lastIndexOf(')') + 2).trim(), 21);
        return new Entry(pid, Long.parseLong(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3]),
                fields[0].charAt(0), Long.parseLong(fields[19]));
    }

}

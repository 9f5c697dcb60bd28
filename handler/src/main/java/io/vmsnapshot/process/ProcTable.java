package io.vmsnapshot.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

    private final Path procRoot;

    ProcTable(Path procRoot) {
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
    }

    List<Entry> all() {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(procRoot, ProcTable::isPidDir)) {
            for (Path dir : dirs) {
                read(Long.parseLong(dir.getFileName().toString())).ifPresent(entries::add);
            }
        } catch (IOException e) {
            // Without /proc we can still kill what we know by pid; the caller falls back to that.
            return entries;
        }
        return entries;
    }

    Optional<Entry> read(long pid) {
        try {
            return Optional.of(parse(pid, Files.readString(procRoot.resolve(Long.toString(pid)).resolve("stat"),
                    StandardCharsets.ISO_8859_1)));
        } catch (IOException | RuntimeException e) {
            // Gone between listing and reading, or unreadable: either way not a process we can act on.
            return Optional.empty();
        }
    }

    /** Whether the very same process (same start time) still exists and is not a zombie. */
    boolean isLive(Entry entry) {
        return read(entry.pid()).filter(now -> now.startTicks() == entry.startTicks()).map(Entry::isLive)
                .orElse(false);
    }

    static Entry parse(long pid, String stat) {
        // The command name (field 2) is in parentheses and may itself contain spaces or ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return new Entry(pid, Long.parseLong(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3]),
                fields[0].charAt(0), Long.parseLong(fields[19]));
    }

    private static boolean isPidDir(Path path) {
        String name = path.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}

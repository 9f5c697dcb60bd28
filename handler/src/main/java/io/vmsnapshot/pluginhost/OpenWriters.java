package io.vmsnapshot.pluginhost;

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
 * Who holds a file open, from {@code /proc}: every process's descriptors ({@code fd/<n>}, with the
 * access mode of {@code fdinfo/<n>}) and shared writable mappings ({@code maps}). A descriptor
 * opened for writing survives {@code chown} and {@code chmod}: a user who opened a file before root
 * adopted it as a script can still rewrite it, and no mode on the file says so.
 *
 * <p>The same scan answers whether this process itself holds the file: when it is reading it
 * through a descriptor, that is how it proves the descriptor is the file it checked by name.
 */
final class OpenWriters {
    private static final int ACCESS_MODE = 03;
    private static final int READ_ONLY = 0;

    private final Path proc;
    private final long selfPid;

    /** @param proc {@code /proc}, or a fake of it in tests */
    OpenWriters(Path proc, long selfPid) {
        this.proc = Objects.requireNonNull(proc, "proc");
        this.selfPid = selfPid;
    }

    /** One process that can write the file: its pid, its command name and how (a descriptor or a mapping). */
    record Writer(long pid, String command, String how) {
        @Override
        public String toString() {
            return "pid " + pid + " (" + command + ", " + how + ")";
        }
    }

    /** @param heldBySelf this process has a descriptor to the file */
    record Scan(boolean heldBySelf, List<Writer> writers) {
        Scan {
            writers = List.copyOf(writers);
        }
    }

    /** @param file what the path named, when it was checked; matched by device and inode */
    Scan scan(Path path, Stat file) throws IOException {
        MountPrefixes mounts = MountPrefixes.read(proc.resolve("self").resolve("mountinfo"));
        boolean heldBySelf = false;
        List<Writer> writers = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc, OpenWriters::isPid)) {
            for (Path process : processes) {
                long pid = Long.parseLong(process.getFileName().toString());
                List<String> writing = new ArrayList<>();
                boolean holds = descriptors(process, path, file, mounts, pid != selfPid, writing);
                if (pid == selfPid) {
                    heldBySelf |= holds;
                    continue;
                }
                sharedWritableMapping(process, path, file).ifPresent(writing::add);
                for (String how : writing) {
                    writers.add(new Writer(pid, command(process), how));
                }
            }
        }
        return new Scan(heldBySelf, writers);
    }

    private static boolean isPid(Path entry) {
        String name = entry.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    /** @return whether any descriptor of the process refers to the file; those open for writing go to {@code writing} */
    private static boolean descriptors(Path process, Path path, Stat file, MountPrefixes mounts,
            boolean lookForWriters, List<String> writing) {
        boolean holds = false;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                Stat target;
                try {
                    // readlink only reads the kernel's name for the file; a stat could hang on a dead mount
                    String name = Files.readSymbolicLink(fd).toString();
                    if (!name.startsWith("/") || !mounts.maySameFileSystem(name, path.toString())) {
                        continue; // a pipe, a socket, or another file system
                    }
                    target = Stat.following(fd);
                } catch (IOException e) {
                    continue; // closed meanwhile, or not a file
                }
                if (!target.sameFile(file)) {
                    continue;
                }
                holds = true;
                String number = fd.getFileName().toString();
                if (lookForWriters && !readOnly(process.resolve("fdinfo").resolve(number))) {
                    writing.add("descriptor " + number + " open for writing");
                }
            }
        } catch (IOException e) {
            // the process ended meanwhile: it holds nothing any more
        }
        return holds;
    }

    /** Unknown counts as writable: a descriptor we cannot read the flags of is not proven harmless. */
    private static boolean readOnly(Path fdinfo) {
        try {
            for (String line : Files.readAllLines(fdinfo, StandardCharsets.UTF_8)) {
                if (line.startsWith("flags:")) {
                    int flags = Integer.parseInt(line.substring("flags:".length()).strip(), 8);
                    return (flags & ACCESS_MODE) == READ_ONLY;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /**
     * A {@code MAP_SHARED} writable mapping outlives its descriptor and writes to the file. maps
     * gives the inode and the file's current name (its device number there is the super block's,
     * which differs from stat's on btrfs), so both must match.
     */
    private static Optional<String> sharedWritableMapping(Path process, Path path, Stat file) {
        try {
            for (String line : Files.readAllLines(process.resolve("maps"), StandardCharsets.ISO_8859_1)) {
                String[] fields = line.trim().split("\\s+", 6);
                if (fields.length == 6 && fields[1].length() == 4 && fields[1].charAt(1) == 'w'
                        && fields[1].charAt(3) == 's' && fields[4].equals(Long.toString(file.inode()))
                        && fields[5].equals(path.toString())) {
                    return Optional.of("shared writable mapping " + fields[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // ended meanwhile, or a kernel thread without maps
        }
        return Optional.empty();
    }

    private static String command(Path process) {
        try {
            return Files.readString(process.resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}

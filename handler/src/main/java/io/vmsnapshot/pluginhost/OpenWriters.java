package io.vmsnapshot.pluginhost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who holds a file open, from {@code /proc}: every process's descriptors ({@code fd/<n>}, with the
 * access mode of {@code fdinfo/<n>}) and shared writable mappings ({@code maps}). A descriptor
 * opened for writing survives {@code chown} and {@code chmod}: a user who opened a file before root
 * adopted it as a script can still rewrite it, and no mode on the file says so.
 *
 * <p>The same reading of this process's own descriptors answers whether it holds the file: when it
 * is reading it through a descriptor, that is how it proves the descriptor is the file it checked
 * by name (the JDK has no fstat of a channel).
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
        public boolean equals(Object other) {
            return other instanceof Writer that && pid == that.pid && Objects.equals(command, that.command)
                    && Objects.equals(how, that.how);
        }

        @Override
        public int hashCode() {
            return Objects.hash(pid, command, how);
        }

        @Override
        public String toString() {
            return "pid " + pid + " (" + command + ", " + how + ")";
        }
    }

    /**
     * A file to look for: its path (maps name files) and its lstat, with the key the JDK compares
     * descriptors by (device and inode).
     */
    record Target(Path path, Stat stat, Object fileKey) {
        /** @throws IOException also when the path no longer names the file of {@code stat} */
        static Target of(Path path, Stat stat) throws IOException {
            Object key = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (key == null || !Stat.of(path).sameFile(stat)) {
                throw new IOException(path + " was replaced");
            }
            return new Target(path, stat, key);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Target that && Objects.equals(path, that.path) && Objects.equals(stat, that.stat)
                    && Objects.equals(fileKey, that.fileKey);
        }

        @Override
        public int hashCode() {
            return Objects.hash(path, stat, fileKey);
        }

        @Override
        public String toString() {
            return "Target[path=" + path + ", stat=" + stat + ", fileKey=" + fileKey + "]";
        }
    }

    /**
     * Whether this process holds a descriptor to the file: while it reads a script through a
     * channel, the proof that the channel is the file the lstat described. Only this process's
     * own descriptors are read.
     */
    boolean heldBySelf(Target target) throws IOException {
        Path self = proc.resolve(Long.toString(selfPid));
        if (descriptorNamed(self, target)) {
            return true;
        }
        MountPrefixes mounts = MountPrefixes.read(proc.resolve("self").resolve("mountinfo"));
        return descriptors(self, List.of(target), mounts, false, new ArrayList<>());
    }

    /**
     * Whether a descriptor the kernel names by the target's own path is the target: the usual way a
     * script read is proven, without reading the mount table (the full walk covers names the kernel
     * spells otherwise). Only the descriptor with that very name is stat-ed.
     */
    private static boolean descriptorNamed(Path process, Target target) {
        String wanted = target.path().toString();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(wanted)
                            && target.fileKey().equals(Files.readAttributes(fd, BasicFileAttributes.class).fileKey())) {
                        return true;
                    }
                } catch (IOException e) {
                    // closed meanwhile, or not a file
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /**
     * Every other process that can write any of the files, in one pass over {@code /proc}: each
     * backup's scripts are looked for together.
     */
    Map<Target, List<Writer>> writers(List<Target> targets) throws IOException {
        Map<Target, List<Writer>> writers = new HashMap<>();
        for (Target target : targets) {
            writers.put(target, new ArrayList<>());
        }
        if (targets.isEmpty()) {
            return writers;
        }
        MountPrefixes mounts = MountPrefixes.read(proc.resolve("self").resolve("mountinfo"));
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(proc)) {
            for (Path process : processes) {
                if (!isPid(process.getFileName().toString()) || Long.parseLong(process.getFileName().toString()) == selfPid) {
                    continue;
                }
                List<Found> found = new ArrayList<>();
                descriptors(process, targets, mounts, true, found);
                sharedWritableMappings(process, targets, found);
                for (Found one : found) {
                    writers.get(one.target()).add(new Writer(Long.parseLong(process.getFileName().toString()),
                            command(process), one.how()));
                }
            }
        }
        return writers;
    }

    private record Found(Target target, String how) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Found that && Objects.equals(target, that.target) && Objects.equals(how, that.how);
        }

        @Override
        public int hashCode() {
            return Objects.hash(target, how);
        }

        @Override
        public String toString() {
            return "Found[target=" + target + ", how=" + how + "]";
        }
    }

    /** A /proc entry's name, or the pid in a name the plugin host gave something of its own. */
    static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param writing receives the descriptors open for writing when {@code lookForWriters}
     * @return whether any descriptor of the process refers to one of the files
     */
    private static boolean descriptors(Path process, List<Target> targets, MountPrefixes mounts,
            boolean lookForWriters, List<Found> writing) {
        boolean holds = false;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                Object key;
                String name;
                try {
                    // readlink only reads the kernel's name for the file; a stat could hang on a dead mount
                    name = Files.readSymbolicLink(fd).toString();
                    if (!name.startsWith("/") || !maySameFileSystem(name, targets, mounts)) {
                        continue; // a pipe, a socket, or another file system
                    }
                    // the lightest stat the JDK has: device and inode, nothing else decoded
                    key = Files.readAttributes(fd, BasicFileAttributes.class).fileKey();
                } catch (IOException e) {
                    continue; // closed meanwhile, or not a file
                }
                for (Target target : targets) {
                    if (!target.fileKey().equals(key)) {
                        continue;
                    }
                    holds = true;
                    String number = fd.getFileName().toString();
                    if (lookForWriters && !readOnly(process.resolve("fdinfo").resolve(number))) {
                        writing.add(new Found(target, "descriptor " + number + " open for writing"));
                    }
                }
            }
        } catch (IOException e) {
            // the process ended meanwhile: it holds nothing any more
        }
        return holds;
    }

    private static boolean maySameFileSystem(String name, List<Target> targets, MountPrefixes mounts) {
        for (Target target : targets) {
            if (mounts.maySameFileSystem(name, target.path().toString())) {
                return true;
            }
        }
        return false;
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
    private static void sharedWritableMappings(Path process, List<Target> targets, List<Found> found) {
        String maps;
        try {
            maps = new String(Files.readAllBytes(process.resolve("maps")), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return; // ended meanwhile, or a kernel thread without maps
        }
        for (Target target : targets) {
            String inode = Long.toString(target.stat().inode());
            if (!maps.contains(" " + inode + " ")) {
                continue; // the common case, without splitting thousands of lines
            }
            for (String line : maps.split("\n")) {
                String[] fields = line.trim().split("\\s+", 6);
                if (fields.length == 6 && fields[1].length() == 4 && fields[1].charAt(1) == 'w'
                        && fields[1].charAt(3) == 's' && fields[4].equals(inode)
                        && fields[5].equals(target.path().toString())) {
                    found.add(new Found(target, "shared writable mapping " + fields[0]));
                    break;
                }
            }
        }
    }

    private static String command(Path process) {
        try {
            return Files.readString(process.resolve("comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "?";
        }
    }
}

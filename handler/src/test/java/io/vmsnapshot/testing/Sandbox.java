package io.vmsnapshot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A temporary directory whose whole path passes the plugin host's directory rule (every directory
 * owned by root or us, none writable by group/other) — unlike {@code /tmp}, which is world-writable.
 * It lives under the build's {@code target} directory when that qualifies, else under {@code /run}.
 */
public final class Sandbox implements AutoCloseable {
    private final Path root;

    private Sandbox(Path root) {
        this.root = root;
    }

    public static Sandbox create() {
        try {
            for (Path base : List.of(Path.of("target").toAbsolutePath(), Path.of("/run"))) {
                if (Files.isDirectory(base) && safeChain(base.toRealPath())) {
                    Path dir = Files.createTempDirectory(base.toRealPath(), "prepost-");
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                    return new Sandbox(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no directory with a safe path for the sandbox");
    }

    private static boolean safeChain(Path dir) throws IOException {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        for (Path current = dir; current != null; current = current.getParent()) {
            int owner = (Integer) Files.getAttribute(current, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) Files.getAttribute(current, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((owner != 0 && owner != uid) || (mode & 0022) != 0 || Files.isSymbolicLink(current)) {
                return false;
            }
        }
        return true;
    }

    public Path root() {
        return root;
    }

    public Path dir(String relative) {
        try {
            Path dir = root.resolve(relative);
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file with the given mode (e.g. "rw-------"). */
    public Path file(String relative, String content, String mode) {
        try {
            Path file = root.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path script(String relative, String body) {
        return file(relative, "#!/bin/sh\n" + body + "\n", "rwx------");
    }

    public static void chown(Path path, int uid) {
        try {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void chmod(Path path, String mode) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

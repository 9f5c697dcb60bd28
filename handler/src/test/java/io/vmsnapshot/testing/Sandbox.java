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
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A temporary directory whose whole path passes the plugin host's directory rule: every directory
 * from {@code /} down to it root-owned, none writable by group or other, no symlink, so the scripts
 * a test stages below it run. Below {@code /tmp} (1777) they are refused, also below the build's
 * {@code target} of a clone under {@code /tmp}; so it is never below the checkout or
 * {@code java.io.tmpdir} but a fresh directory in {@code /var/lib} (or {@code /run} where
 * {@code /var/lib} is noexec: the scripts must run), and {@link #create} checks the chain it made.
 * The e2e tests' twin is {@code io.vmsnapshot.e2e.fixtures.RootOnlyDir} (the modules share no test code).
 */
public final class Sandbox implements AutoCloseable {
    static final List<Path> BASES = List.of(Path.of("/var/lib"), Path.of("/run"));
    private static final int GROUP_OR_OTHER_WRITE = 0022;

    private final Path root;

    private Sandbox(Path root) {
        this.root = root;
    }

    public static Sandbox create() {
        Sandbox sandbox;
        try {
            sandbox = new Sandbox(Files.createTempDirectory(base(), "vmsnapshot-test-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.setPosixFilePermissions(sandbox.root, PosixFilePermissions.fromString("rwx------"));
            Optional<String> unsafe = unsafeAncestor(sandbox.root);
            if (unsafe.isPresent()) {
                throw new IllegalStateException("the plugin host would refuse scripts below " + sandbox.root + ": "
                        + unsafe.get());
            }
            return sandbox;
        } catch (IOException e) {
            sandbox.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            sandbox.close();
            throw e;
        }
    }

    /**
     * The first directory from {@code dir} up to {@code /} that would make the plugin host refuse a
     * script below it, and why; empty when the whole chain is root-only.
     */
    public static Optional<String> unsafeAncestor(Path dir) throws IOException {
        for (Path current = dir.toAbsolutePath(); current != null; current = current.getParent()) {
            if (Files.isSymbolicLink(current)) {
                return Optional.of(current + " is a symbolic link");
            }
            int owner = (Integer) Files.getAttribute(current, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) Files.getAttribute(current, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (owner != 0) {
                return Optional.of(current + " is owned by uid " + owner + ", not root");
            }
            if ((mode & GROUP_OR_OTHER_WRITE) != 0) {
                return Optional.of(current + " is writable by group or other (mode "
                        + String.format("%04o", mode & 07777) + ")");
            }
        }
        return Optional.empty();
    }

    private static Path base() {
        StringBuilder refused = new StringBuilder();
        for (Path base : BASES) {
            try {
                Optional<String> unsafe = unsafeAncestor(base);
                if (unsafe.isPresent()) {
                    refused.append("; ").append(unsafe.get());
                } else if (isNoExec(base)) {
                    refused.append("; ").append(base).append(" is mounted noexec");
                } else {
                    return base;
                }
            } catch (IOException e) {
                refused.append("; ").append(base).append(": ").append(e.getMessage());
            }
        }
        throw new IllegalStateException("no base for test scripts that only root can change and that allows"
                + " execution (the tests run as root)" + refused);
    }

    private static boolean isNoExec(Path dir) throws IOException {
        Process findmnt = new ProcessBuilder("findmnt", "-n", "-o", "OPTIONS", "-T", dir.toString())
                .redirectErrorStream(true).start();
        String options = new String(findmnt.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            return findmnt.waitFor() != 0 || List.of(options.split(",")).contains("noexec");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running findmnt", e);
        }
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

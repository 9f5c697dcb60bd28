package io.vmsnapshot.e2e.database;

import io.vmsnapshot.e2e.fixtures.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A directory of one test under {@code /run} (under {@code /var/lib} where {@code /run} is mounted
 * noexec: the scripts live here), owned by root, for what must be reachable by the
 * database users or must satisfy the plugin host's path rules: mount points, sockets, server logs,
 * the scripts (every directory above a script must be unwritable by group and other, which the
 * sticky {@code /tmp} of many machines is not). Small files only: {@code /run} is memory.
 * {@link #close()} removes it without crossing into a file system still mounted below it.
 */
final class RunArea implements AutoCloseable {
    private static final List<Path> BASES = List.of(Path.of("/run"), Path.of("/var/lib"));

    private final Path root;

    private RunArea(Path root) {
        this.root = root;
    }

    static RunArea create(String name) throws IOException {
        Path base = BASES.stream().filter(RunArea::allowsExecution).findFirst()
                .orElseThrow(() -> new IllegalStateException("every one of " + BASES + " is mounted noexec"));
        Path root = Files.createTempDirectory(base, "vmsnapshot-e2e-" + name + "-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new RunArea(root);
    }

    private static boolean allowsExecution(Path dir) {
        Command.Result options = Command.run(List.of("findmnt", "-n", "-o", "OPTIONS", "-T", dir.toString()), 10);
        return options.exitCode() == 0 && !List.of(options.output().split(",")).contains("noexec");
    }

    Path root() {
        return root;
    }

    /** A path in the area that does not exist yet, e.g. a mount point for LoopMount to create. */
    Path path(String name) {
        return root.resolve(name);
    }

    /** A new directory owned by {@code owner} with mode 0700 (0755 when {@code shared}). */
    Path directory(String name, String owner, boolean shared) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(shared ? "rwxr-xr-x" : "rwx------"));
        Command.check(10, "chown", owner + ":" + owner, dir.toString());
        return dir;
    }

    @Override
    public void close() {
        Command.run(List.of("rm", "-rf", "--one-file-system", root.toString()), 60).requireSuccess(List.of("rm", root.toString()));
    }
}

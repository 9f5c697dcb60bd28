package io.vmsnapshot.e2e.database;

import io.vmsnapshot.e2e.fixtures.Command;
import io.vmsnapshot.e2e.fixtures.RootOnlyDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory of one test, a {@link RootOnlyDir} readable by all, for what must be reachable by the
 * database users or must satisfy the plugin host's path rules: mount points, sockets, server logs,
 * the scripts (every directory above a script must be root-only, which no directory below the
 * sticky {@code /tmp} is). {@link #close()} removes it without crossing into a file system still
 * mounted below it.
 */
final class RunArea implements AutoCloseable {
    private final RootOnlyDir area;
    private final Path root;

    private RunArea(RootOnlyDir area) {
        this.area = area;
        this.root = area.path();
    }

    static RunArea create(String name) throws IOException {
        return new RunArea(RootOnlyDir.create(name, RootOnlyDir.Access.READABLE_BY_ALL));
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
        area.close();
    }
}

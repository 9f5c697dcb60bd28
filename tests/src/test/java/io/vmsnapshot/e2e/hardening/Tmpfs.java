package io.vmsnapshot.e2e.hardening;

import io.vmsnapshot.e2e.fixtures.Command;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A small tmpfs mounted over a directory of the test, to make that directory's file system full
 * or read-only on demand. {@link #close()} unmounts it (lazily if a process still holds it).
 */
final class Tmpfs implements AutoCloseable {
    private final Path mountPoint;
    private final Path filler;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve(".filler");
    }

    /** Mounts over {@code dir} (its files are hidden, not lost), keeping the directory's mode. */
    static Tmpfs over(Path dir, int sizeKiB) throws IOException {
        Files.createDirectories(dir);
        String mode = Integer.toOctalString((Integer) Files.getAttribute(dir, "unix:mode") & 07777);
        Command.check(30, "mount", "-t", "tmpfs", "-o", "size=" + sizeKiB + "k,mode=" + mode, "tmpfs", dir.toString());
        return new Tmpfs(dir);
    }

    /** Writes until the file system says ENOSPC. */
    void fill() throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException noSpace) {
            // Full: that was the point. Small files may still fit in inode slack; fill those too.
        }
        for (int i = 0; ; i++) {
            try {
                Files.write(mountPoint.resolve(".filler-" + i), new byte[512]);
            } catch (IOException noSpace) {
                return;
            }
        }
    }

    void free() throws IOException {
        try (var files = Files.list(mountPoint)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(".filler")).toList()) {
                Files.delete(file);
            }
        }
    }

    void readOnly(boolean readOnly) {
        Command.check(30, "mount", "-o", "remount," + (readOnly ? "ro" : "rw"), mountPoint.toString());
    }

    @Override
    public void close() {
        if (Command.run(List.of("umount", mountPoint.toString()), 30).exitCode() != 0) {
            Command.run(List.of("umount", "-l", mountPoint.toString()), 30);
        }
    }
}

package io.vmsnapshot.e2e.prepost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private directory whose whole path passes the plugin host's directory rule (every directory
 * owned by root or us, none writable by group or other, no symlink), so scripts placed under it can
 * run. JUnit's {@code @TempDir} lives under world-writable {@code /tmp}, where every script would be
 * refused with 306/307. Preferred base: the build's e2e work dir (system property
 * {@code vmsnapshot.work}); else {@code /run}.
 */
public final class SafeSandbox {
    private SafeSandbox() {
    }

    public static Path create(String prefix) throws IOException {
        String work = System.getProperty("vmsnapshot.work", "target/e2e");
        for (Path base : List.of(Path.of(work).toAbsolutePath(), Path.of("/run"))) {
            Files.createDirectories(base);
            Path real = base.toRealPath();
            if (safeChain(real)) {
                Path dir = Files.createTempDirectory(real, prefix);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                return dir;
            }
        }
        throw new IllegalStateException("no base directory whose path only root may change (tried "
                + work + " and /run): scripts under any other would be refused");
    }

    /** Every directory from {@code dir} up to {@code /}: owned by root or us, not group/other writable. */
    static boolean safeChain(Path dir) throws IOException {
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

    public static void delete(Path root) throws IOException {
        if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}

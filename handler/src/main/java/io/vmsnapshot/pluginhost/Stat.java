package io.vmsnapshot.pluginhost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/** lstat(2) of one path: the link itself is described, never what it points to. */
record Stat(int mode, int uid, long inode, long device) {
    private static final int TYPE_MASK = 0170000;
    private static final int REGULAR = 0100000;
    private static final int DIRECTORY = 0040000;
    private static final int SYMLINK = 0120000;

    /** @throws java.nio.file.NoSuchFileException if nothing is there */
    static Stat of(Path path) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,uid,ino,dev", LinkOption.NOFOLLOW_LINKS);
        return new Stat((Integer) attributes.get("mode"), (Integer) attributes.get("uid"),
                (Long) attributes.get("ino"), (Long) attributes.get("dev"));
    }

    boolean isRegularFile() {
        return (mode & TYPE_MASK) == REGULAR;
    }

    boolean isDirectory() {
        return (mode & TYPE_MASK) == DIRECTORY;
    }

    boolean isSymlink() {
        return (mode & TYPE_MASK) == SYMLINK;
    }

    /** Any of the given permission bits set, e.g. {@code 0077} for "group or other may do something". */
    boolean grants(int bits) {
        return (mode & bits) != 0;
    }

    boolean sameFile(Stat other) {
        return inode == other.inode && device == other.device;
    }

    String permissions() {
        return String.format("%04o", mode & 07777);
    }
}

package io.vmsnapshot.pluginhost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;

/**
 * lstat(2) of one path: the link itself is described, never what it points to. {@code ctime} changes
 * with every write, chmod and chown and nobody can set it, so equal stats taken before and after a
 * read mean that nothing changed the file in between.
 */
record Stat(int mode, int uid, long inode, long device, long size, FileTime mtime, FileTime ctime) {
    private static final int TYPE_MASK = 0170000;
    private static final int REGULAR = 0100000;
    private static final int DIRECTORY = 0040000;
    private static final int SYMLINK = 0120000;
    private static final String ATTRIBUTES = "unix:mode,uid,ino,dev,size,lastModifiedTime,ctime";

    /** @throws java.nio.file.NoSuchFileException if nothing is there */
    static Stat of(Path path) throws IOException {
        return from(Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS));
    }

    /** stat(2): what the path leads to, e.g. the file behind a {@code /proc/<pid>/fd/<n>} entry. */
    static Stat following(Path path) throws IOException {
        return from(Files.readAttributes(path, ATTRIBUTES));
    }

    private static Stat from(Map<String, Object> attributes) {
        return new Stat((Integer) attributes.get("mode"), (Integer) attributes.get("uid"),
                (Long) attributes.get("ino"), (Long) attributes.get("dev"), (Long) attributes.get("size"),
                (FileTime) attributes.get("lastModifiedTime"), (FileTime) attributes.get("ctime"));
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

    @Override
    public boolean equals(Object other) {
        return other instanceof Stat that && mode == that.mode && uid == that.uid && inode == that.inode
                && device == that.device && size == that.size && Objects.equals(mtime, that.mtime)
                && Objects.equals(ctime, that.ctime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, uid, inode, device, size, mtime, ctime);
    }

    @Override
    public String toString() {
        return "Stat[mode=" + Integer.toOctalString(mode) + ", uid=" + uid + ", inode=" + inode + ", device="
                + device + ", size=" + size + ", mtime=" + mtime + ", ctime=" + ctime + "]";
    }
}

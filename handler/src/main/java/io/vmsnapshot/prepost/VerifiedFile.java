package io.vmsnapshot.prepost;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Reads one file of the plugin host once and checks it: regular file (lstat, so a symlink is
 * refused), owned by the handler's uid, not writable by group or other, opened with O_NOFOLLOW,
 * and the SHA-256 of the bytes read equals the digest recorded at build time. The bytes returned
 * are exactly the bytes hashed; whatever happens to the file afterwards does not matter.
 */
final class VerifiedFile {
    private static final int MAX_BYTES = 64 << 20;
    private static final int TYPE_MASK = 0170000;
    private static final int REGULAR = 0100000;
    private static final int SYMLINK = 0120000;
    private static final int GROUP_OTHER_WRITE = 0022;

    private VerifiedFile() {
    }

    /** @throws HandlerException saying which file and what failed */
    static byte[] read(Path file, String expectedSha256, int handlerUid) throws HandlerException {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(file, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw corrupt(file + " is missing");
        } catch (IOException e) {
            throw corrupt(file + " cannot be examined: " + e.getMessage());
        }
        int mode = (Integer) attributes.get("mode");
        int uid = (Integer) attributes.get("uid");
        if ((mode & TYPE_MASK) == SYMLINK) {
            throw corrupt(file + " is a symbolic link, not the file shipped in the package");
        }
        if ((mode & TYPE_MASK) != REGULAR) {
            throw corrupt(file + " is not a regular file");
        }
        if (uid != handlerUid) {
            throw corrupt(file + " is owned by uid " + uid + ", not by the handler's uid " + handlerUid);
        }
        if ((mode & GROUP_OTHER_WRITE) != 0) {
            throw corrupt(file + " is writable by group or other (mode "
                    + String.format("%04o", mode & 07777) + ")");
        }
        byte[] bytes = readNoFollow(file);
        String actual = sha256(bytes);
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            throw corrupt(file + " has SHA-256 " + actual + ", the package recorded " + expectedSha256);
        }
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static byte[] readNoFollow(Path file) throws HandlerException {
        try (SeekableByteChannel channel = Files.newByteChannel(file,
                Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
                InputStream in = Channels.newInputStream(channel)) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw corrupt(file + " is larger than " + MAX_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw corrupt(file + " cannot be read: " + e.getMessage());
        }
    }

    private static HandlerException corrupt(String detail) {
        return new HandlerException(ErrorCode.PLUGINHOST_CORRUPT, detail);
    }
}

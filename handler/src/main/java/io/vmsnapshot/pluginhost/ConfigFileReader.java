package io.vmsnapshot.pluginhost;

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
import java.util.Set;

/**
 * Reads a config file only if it is safe to trust: a regular file owned by the handler's uid,
 * without the mode bits its kind forbids (see {@link ConfigCodes}: nobody but the owner may write
 * it). A symbolic link (configuration-management tools link configs) is followed only when the
 * link, every directory on the way and the target are root-controlled ({@link PathChain}).
 * The file is opened with O_NOFOLLOW and checked again after reading: if the inode changed, it was
 * swapped while we looked, and the bytes are not used.
 */
final class ConfigFileReader {
    private static final int MAX_BYTES = 1 << 20;

    private final int handlerUid;

    ConfigFileReader(int handlerUid) {
        this.handlerUid = handlerUid;
    }

    /** Whether anything (even a dangling link) exists at the path. */
    static boolean exists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    byte[] read(Path configured, ConfigCodes codes) throws HandlerException {
        Path file = followRootLinks(configured, codes);
        Stat before = check(file, codes);
        byte[] bytes;
        try (SeekableByteChannel channel = Files.newByteChannel(file,
                Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
                InputStream in = Channels.newInputStream(channel)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new HandlerException(codes.permission(), file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new HandlerException(codes.invalid(), file + ": larger than " + MAX_BYTES + " bytes; this is not a config file");
        }
        Stat after = check(file, codes);
        if (!after.sameFile(before)) {
            throw new HandlerException(codes.permission(), file + ": was replaced while being read; check who writes to "
                    + file.getParent());
        }
        return bytes;
    }

    /** The file itself: the configured path, or where root's links lead from it. */
    private Path followRootLinks(Path configured, ConfigCodes codes) throws HandlerException {
        try {
            if (!Stat.of(configured).isSymlink()) {
                return configured;
            }
            return new PathChain(handlerUid).resolve(configured).target();
        } catch (PathChain.UnsafeLinkException e) {
            throw new HandlerException(codes.permission(), configured + ": " + e.getMessage()
                    + "; put the file itself there, or make root own the link and every directory on the way");
        } catch (NoSuchFileException e) {
            throw new HandlerException(codes.notFound(), configured + ": does not exist"
                    + (e.getFile() == null || e.getFile().equals(configured.toString()) ? "" : " (no " + e.getFile()
                    + ")"), e);
        } catch (IOException e) {
            throw new HandlerException(codes.permission(), configured + ": cannot be examined (" + e.getMessage()
                    + ")", e);
        }
    }

    private Stat check(Path file, ConfigCodes codes) throws HandlerException {
        Stat stat;
        try {
            stat = Stat.of(file);
        } catch (NoSuchFileException e) {
            throw new HandlerException(codes.notFound(), file + ": does not exist", e);
        } catch (IOException e) {
            throw new HandlerException(codes.permission(), file + ": cannot be examined (" + e.getMessage() + ")", e);
        }
        if (stat.isSymlink()) {
            throw new HandlerException(codes.permission(), file + ": is a symbolic link; put the file itself there");
        }
        if (!stat.isRegularFile()) {
            throw new HandlerException(codes.permission(), file + ": is not a regular file");
        }
        if (stat.uid() != handlerUid) {
            throw new HandlerException(codes.ownership(), file + ": is owned by uid " + stat.uid()
                    + ", must be owned by uid " + handlerUid + " (chown " + handlerUid + " " + file + ")");
        }
        if (stat.grants(codes.forbiddenBits())) {
            throw new HandlerException(codes.permission(), file + ": has mode " + stat.permissions() + "; "
                    + codes.modeRule() + " (" + codes.modeFix() + " " + file + ")");
        }
        return stat;
    }
}

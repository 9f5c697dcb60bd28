package io.vmsnapshot.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file so that a reader at any moment sees either the old or the new content, never a
 * torn one: the agent reads status files without any locking (docs/agent-contract.md §9). The temporary
 * file lives in the target's folder, because a rename is only atomic within one file system.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, null);
    }

    /**
     * Replaces a file as atomically for its readers as {@link #write(Path, byte[])}, but flushes
     * nothing to the disk: after a power loss it may hold the old content, or none. For a file no
     * reader needs after a crash (the heartbeat), where the two flushes would cost every command a
     * disk round trip or two (a millisecond or more each on a network-attached disk).
     */
    public static void writeUnflushed(Path target, byte[] content) throws IOException {
        replace(target, content, null, false);
    }

    /**
     * Like {@link #write(Path, byte[])}, and the new file keeps {@code lastModifiedTime}: the agent
     * and the sequence number fallback pick the newest settings file by mtime, so rewriting an old
     * one must not make it the newest.
     */
    public static void write(Path target, byte[] content, FileTime lastModifiedTime) throws IOException {
        replace(target, content, lastModifiedTime, true);
    }

    private static void replace(Path target, byte[] content, FileTime lastModifiedTime, boolean flush)
            throws IOException {
        Objects.requireNonNull(content, "content");
        Path file = target.toAbsolutePath();
        Path folder = file.getParent();
        // A dot name that does not end in .status/.settings, so neither the agent nor we mistake it.
        Path temp = folder.resolve("." + file.getFileName() + "."
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (flush) {
                    channel.force(true);
                }
            }
            if (lastModifiedTime != null) {
                Files.setLastModifiedTime(temp, lastModifiedTime);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            IOException failure = new IOException("cannot write " + file.getFileName() + " in folder " + folder
                    + " (the previous file is unchanged): " + e, e);
            deleteTemp(temp, failure);
            throw failure;
        }
        if (!flush) {
            return;
        }
        try {
            syncFolder(folder);
        } catch (IOException e) {
            throw new IOException("wrote " + file.getFileName() + " but cannot flush folder " + folder + ": " + e, e);
        }
    }

    private static void deleteTemp(Path temp, IOException failure) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Makes the rename itself durable. Only the default file system can open a folder for this;
     * others (the in-memory one of the tests) have nothing to flush.
     */
    private static void syncFolder(Path folder) throws IOException {
        if (folder.getFileSystem() != FileSystems.getDefault()) {
            return;
        }
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}

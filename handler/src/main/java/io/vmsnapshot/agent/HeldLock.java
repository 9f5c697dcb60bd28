package io.vmsnapshot.agent;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * An OS lock on a whole file. On Linux a {@code FileChannel} lock is an fcntl (POSIX) lock, the
 * kind Python's {@code fcntl.lockf} takes, so upstream's extension and Azure Site Recovery see it;
 * the kernel drops it when the holder dies, so a killed process never leaves one stale. A POSIX
 * lock also goes when the process closes any other descriptor of the same file: nothing in the
 * handler opens a locked file a second time while it holds the lock. The worker's lock and the
 * freeze's locks are all of this kind.
 */
public final class HeldLock implements AutoCloseable {
    /** A lock that holds nothing: what a step gets when it may go on without the lock. */
    public static final HeldLock NONE = new HeldLock(null, null);

    private final FileChannel channel;
    private final FileLock lock;

    private HeldLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock without waiting; the channel (open for writing: an exclusive fcntl lock needs
     * it) is closed when the lock is not had.
     *
     * @return empty when another process, or another channel of this JVM, holds it
     */
    public static Optional<HeldLock> tryLock(FileChannel channel) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very JVM: Java throws rather than answering
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        return Optional.of(new HeldLock(channel, lock));
    }

    /** The mode to make a lock file or its directory with (e.g. {@code rw-------}), where files have modes. */
    public static FileAttribute<?>[] mode(Path path, String permissions) {
        if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        } catch (IOException e) {
            // Closing the descriptor releases an fcntl lock whatever release() said; nothing is held.
        }
    }
}

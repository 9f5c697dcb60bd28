package io.vmsnapshot.logging;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * {@code extension.log}, which every process of the package appends to at once (enable, the worker,
 * check...), kept at about {@link #MAX_BYTES}: a line that would take it past that size first renames
 * it to {@code extension.log.1} ({@code .1} to {@code .2}, ..., the oldest of {@link #GENERATIONS}
 * dropped; processes appending at the same moment may each add one line past the size). The agent's logrotate covers only its own files, and extension logs have filled disks
 * (WALinuxAgent#1562).
 *
 * <p>Every append holds a shared lock on {@code extension.log.lock} and every rotation the
 * exclusive one, and each append first reopens the log if the name no longer leads to the file it
 * has open: no process writes into a file another is renaming away, none keeps writing into a
 * generation after a rotation, and each line is one {@code write(2)} with {@code O_APPEND}. No line
 * is lost or written twice. The caller never appends while file systems are frozen ({@link LogSink}
 * holds the lines then), so rotation never happens in the freeze window either.
 */
public final class RotatingLogFile implements Closeable {
    public static final long MAX_BYTES = 10L * 1024 * 1024;
    public static final int GENERATIONS = 3;

    private final Path file;
    private final Path lockFile;
    private final long maxBytes;
    private final int generations;
    private FileChannel out;
    private Object outKey;
    private FileChannel locks;

    public RotatingLogFile(Path file) {
        this(file, MAX_BYTES, GENERATIONS);
    }

    /** @param maxBytes a file at least this large is rotated before the next line */
    public RotatingLogFile(Path file, long maxBytes, int generations) {
        this.file = Objects.requireNonNull(file, "file");
        this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
        if (maxBytes <= 0 || generations < 1) {
            throw new IllegalArgumentException("maxBytes and generations must be positive");
        }
        this.maxBytes = maxBytes;
        this.generations = generations;
    }

    /** Appends one line (its bytes, newline included), rotating first when the file is full. */
    public synchronized void append(byte[] line) throws IOException {
        FileChannel lockChannel = lockChannel();
        try (FileLock shared = lockChannel.lock(0, Long.MAX_VALUE, true)) {
            reopenIfRotated();
            if (!full(line.length)) {
                write(line);
                return;
            }
        }
        // fcntl locks cannot be upgraded: release, take the exclusive one, and look again (another
        // process may have rotated in between).
        try (FileLock exclusive = lockChannel.lock(0, Long.MAX_VALUE, false)) {
            reopenIfRotated();
            if (full(line.length)) {
                rotate();
            }
            write(line);
        }
    }

    /** Generation {@code n} of the log: {@code extension.log.n}. */
    public Path generation(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    /* A line longer than the whole limit still goes into a file of its own, never nowhere. */
    private boolean full(int length) throws IOException {
        long size = out.size();
        return size > 0 && size + length > maxBytes;
    }

    private void rotate() throws IOException {
        Files.deleteIfExists(generation(generations));
        for (int n = generations - 1; n >= 1; n--) {
            if (Files.exists(generation(n), LinkOption.NOFOLLOW_LINKS)) {
                Files.move(generation(n), generation(n + 1), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.move(file, generation(1), StandardCopyOption.ATOMIC_MOVE);
        reopenIfRotated();
    }

    private void write(byte[] line) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /* The open file is still the one the name leads to, or the name is opened (created) anew. */
    private void reopenIfRotated() throws IOException {
        if (out != null && Objects.equals(keyOf(file), outKey)) {
            return;
        }
        if (out != null) {
            out.close();
            out = null;
        }
        out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        outKey = keyOf(file);
    }

    private static Object keyOf(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private FileChannel lockChannel() throws IOException {
        if (locks == null) {
            if (!Files.isDirectory(file.getParent())) {
                Files.createDirectories(file.getParent());
            }
            locks = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        }
        return locks;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            if (out != null) {
                out.close();
            }
        } finally {
            if (locks != null) {
                locks.close();
            }
        }
    }
}

package io.vmsnapshot.worker;

import io.vmsnapshot.agent.HeldLock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The lock that keeps two backups from overlapping: an OS file lock (released by the kernel when
 * the holder dies, so a killed worker never leaves it stale), with the holder's pid written inside
 * so that disable knows whom to stop. It is the first of the backup's locks; the freeze's come after
 * it (lock order in {@code freeze/FreezeRecordLock}), and nobody holding those waits for this one.
 */
public final class WorkerLock implements AutoCloseable {
    private final HeldLock lock;

    private WorkerLock(HeldLock lock) {
        this.lock = lock;
    }

    /** Empty when another process holds it. */
    public static Optional<WorkerLock> tryAcquire(Path lockFile, long pid) throws IOException {
        Files.createDirectories(lockFile.getParent());
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        Optional<HeldLock> held = HeldLock.tryLock(channel);
        if (held.isEmpty()) {
            return Optional.empty();
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(pid).getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            held.get().close();
            throw e;
        }
        return Optional.of(new WorkerLock(held.get()));
    }

    /** The pid of a live holder, if the lock is held (by another process, or by another channel of this JVM). */
    public static OptionalLong holder(Path lockFile) throws IOException {
        if (!Files.exists(lockFile)) {
            return OptionalLong.empty();
        }
        Optional<HeldLock> probe = HeldLock.tryLock(
                FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE));
        if (probe.isPresent()) {
            probe.get().close();
            return OptionalLong.empty();
        }
        String text = new String(Files.readAllBytes(lockFile), StandardCharsets.US_ASCII).trim();
        return text.matches("\\d+") ? OptionalLong.of(Long.parseLong(text)) : OptionalLong.empty();
    }

    @Override
    public void close() {
        lock.close();
    }
}

package io.vmsnapshot.report;

import io.vmsnapshot.agent.AtomicFiles;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The processed task ids and their outcomes ({@code state/tasks.json}), newest last. Bounded, so a
 * VM backed up daily for years keeps a small file; 100 entries is months of history, far more
 * than the service's retries of one task span.
 * <p>
 * Enable, the worker and disable each read, change and rewrite the file, often at the same moment
 * (an enable accepting the next task while the worker records the last one). Each change holds an
 * OS lock on {@code tasks.json.lock} from its read to its rename, so no process loses another's
 * update; the kernel drops the lock of a process that dies. Readers need no lock: the file is
 * replaced atomically.
 */
public final class TaskRegistry {
    private static final int KEPT = 100;
    /** A change takes milliseconds; a holder this slow is stuck (a hung disk), and the caller must hear it. */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(60);
    private static final long LOCK_POLL_MILLIS = 10;

    private final Path file;
    private final Path lockFile;

    public TaskRegistry(Path file) {
        this.file = Objects.requireNonNull(file, "file");
        this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
    }

    public Optional<TaskRecord> find(String taskId) {
        return readAll().stream().filter(r -> r.taskId().equals(taskId)).reduce((first, second) -> second);
    }

    public void put(TaskRecord record) throws IOException {
        Files.createDirectories(file.getParent());
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = lock(channel)) {
            List<TaskRecord> records = new ArrayList<>(readAll());
            records.removeIf(r -> r.taskId().equals(record.taskId()));
            records.add(record);
            List<TaskRecord> kept = records.subList(Math.max(0, records.size() - KEPT), records.size());
            AtomicFiles.write(file, TaskRecordsJson.write(kept));
        }
    }

    /**
     * Polls rather than blocks: another process's lock is waited for, and so is another channel of
     * this JVM's (Java throws for that instead of waiting), each for at most {@link #LOCK_WAIT}.
     */
    private FileLock lock(FileChannel channel) throws IOException {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        while (true) {
            try {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException heldInThisJvm) {
                // Another thread's change is under way: wait as for another process.
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("cannot change " + file + ": another process has held " + lockFile
                        + " for over " + LOCK_WAIT.toSeconds() + " s; it is stuck, find it with: fuser " + lockFile);
            }
            try {
                Thread.sleep(LOCK_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for " + lockFile);
            }
        }
    }

    /** A corrupt registry must not stop backups: it reads as empty and is rewritten on the next put. */
    public List<TaskRecord> readAll() {
        try {
            return TaskRecordsJson.read(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}

package io.vmsnapshot.freeze;

import io.vmsnapshot.agent.HeldLock;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Serialises everything that acts on the freeze record. The worker holds it from before the record
 * is written until after the thaw (and the record's deletion); every start's {@link FreezeRecovery}
 * holds it while it reads the record, thaws and deletes. So a recovery never thaws a live freeze or
 * deletes a live worker's record: while a worker is in its window the lock is busy and recovery
 * leaves the record alone; when that worker dies, the kernel releases the lock with it.
 *
 * <p>The lock file lives in the run directory beside the record, never in the state directory:
 * opening a file for writing (which an exclusive fcntl lock needs) blocks on a frozen file system,
 * and the recovery that has to thaw the root must not wait for the root.
 *
 * <p>Lock order, so that no two processes ever wait for each other: the worker lock, then the Site
 * Recovery lock ({@link SafeFreezeLock}), then this one (docs/backup-flow.md §2.2). Recovery takes
 * only this one, and never waits for it; holding it, nobody waits for another lock.
 */
public final class FreezeRecordLock {
    static final String FILE_NAME = "freeze.lock";
    private static final Duration POLL = Duration.ofMillis(20);

    private final Path runDir;

    /** @param runDir {@code VMSNAPSHOT_RUN_DIR}, normally {@code /run/vmsnapshot} (tmpfs) */
    public FreezeRecordLock(Path runDir) {
        this.runDir = Objects.requireNonNull(runDir, "runDir");
    }

    Path file() {
        return runDir.resolve(FILE_NAME);
    }

    /** Empty when another process holds it: a worker in its freeze window, or another start's recovery. */
    Optional<HeldLock> tryAcquire() throws IOException {
        Files.createDirectories(runDir);
        FileChannel channel = FileChannel.open(file(), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), HeldLock.mode(file(), "rw-------"));
        return HeldLock.tryLock(channel);
    }

    /**
     * Waits for a recovery that holds it (bounded by its thaw wait) and takes it.
     *
     * @throws HandlerException 121 when it stays busy for {@code wait}, or cannot be taken: nothing
     *                          was frozen, because the freeze needs it first
     */
    HeldLock acquire(Duration wait) throws HandlerException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<HeldLock> lock;
            try {
                lock = tryAcquire();
            } catch (IOException e) {
                throw new HandlerException(ErrorCode.FS_FREEZE_FAILED, "cannot take the freeze record lock " + file()
                        + ": " + e.getMessage() + "; nothing was frozen", e);
            }
            if (lock.isPresent()) {
                return lock.get();
            }
            if (System.nanoTime() > deadline) {
                throw new HandlerException(ErrorCode.FS_FREEZE_FAILED, "the freeze record lock " + file()
                        + " stayed busy for " + wait.toSeconds() + " s (another start's freeze recovery held it);"
                        + " nothing was frozen");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HandlerException(ErrorCode.FS_FREEZE_FAILED, "interrupted while waiting for the freeze"
                        + " record lock " + file() + "; nothing was frozen", e);
            }
        }
    }
}

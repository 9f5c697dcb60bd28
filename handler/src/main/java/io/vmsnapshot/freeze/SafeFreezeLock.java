package io.vmsnapshot.freeze;

import io.vmsnapshot.agent.HeldLock;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock that Azure Site Recovery and upstream's backup extension take before they freeze:
 * {@code /etc/azure/MicrosoftRecoverySvcsSafeFreezeLock/SafeFreezeLockFile}, an fcntl lock
 * ({@code fcntl.lockf(LOCK_EX | LOCK_NB)} in upstream's {@code fsfreezer.py}), so that Backup and ASR
 * never freeze the same VM at the same time. Taken as upstream takes it — five tries, a second
 * apart and 30 s more before the last — just before the freeze, and released after the thaw.
 *
 * <p>Upstream goes on and freezes even when the lock stays busy; this handler freezes nothing then
 * and reports upstream's error (121, "Mount Points already freezed by some other processor"): a
 * second freeze of a file system that ASR holds frozen fails anyway, and one that ASR is about to
 * freeze would make ASR's fail. Like upstream, a lock file that cannot be made at all (a read-only
 * {@code /etc/azure}, a full disk) does not stop the backup: it goes on without the lock, with a
 * warning.
 *
 * <p>The directory is made root-only (0700) and the file 0600; neither is followed if it is a
 * symbolic link (only root can write {@code /etc/azure}, so one there was not made by chance). The
 * file is never truncated and never deleted: deleting a lock file lets two processes lock two
 * different files of the same name. (Upstream deletes it after its thaw; a lock taken on the old
 * file in the instant before such a delete is a lock nobody else sees. Opening the file afresh at
 * each try narrows that window; only the deleting side can close it.)
 */
public final class SafeFreezeLock {
    public static final String DIRECTORY = "MicrosoftRecoverySvcsSafeFreezeLock";
    public static final String FILE_NAME = "SafeFreezeLockFile";
    /** Upstream's pauses between its five tries: 1 s after each failed try, 30 s more before the last. */
    public static final List<Duration> UPSTREAM_PAUSES = List.of(Duration.ofSeconds(1), Duration.ofSeconds(1),
            Duration.ofSeconds(1), Duration.ofSeconds(31));
    /** Upstream's own words; the status carries them after the error's name. */
    static final String UPSTREAM_TEXT = "Mount Points already freezed by some other processor";

    private static final Logger LOG = LoggerFactory.getLogger(SafeFreezeLock.class);

    /** Waits between tries; tests record instead of sleeping. */
    @FunctionalInterface
    public interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Path directory;
    private final List<Duration> pauses;
    private final Pause pause;

    /**
     * @param configDir {@code VMSNAPSHOT_CONFIG_DIR}, normally {@code /etc/azure}: the tests' own
     *                  directory keeps them off the real lock
     * @param pauses    the waits between tries (one try more than pauses)
     */
    public SafeFreezeLock(Path configDir, List<Duration> pauses, Pause pause) {
        this.directory = Objects.requireNonNull(configDir, "configDir").resolve(DIRECTORY);
        this.pauses = List.copyOf(pauses);
        this.pause = Objects.requireNonNull(pause, "pause");
    }

    public Path file() {
        return directory.resolve(FILE_NAME);
    }

    /**
     * @return the held lock, or {@link HeldLock#NONE} when the lock file cannot be made
     * @throws HandlerException 121 with upstream's text when another process keeps it through every
     *                          try, or when the directory or file is a symbolic link; nothing is frozen
     */
    HeldLock acquire() throws HandlerException {
        Optional<FileChannel> opened = open();
        if (opened.isEmpty()) {
            return HeldLock.NONE;
        }
        FileChannel channel = opened.get();
        for (int attempt = 0; ; attempt++) {
            Optional<HeldLock> lock;
            try {
                lock = HeldLock.tryLock(channel);
            } catch (IOException e) {
                LOG.warn("safe-freeze-lock-unavailable file={} error={} action=freeze-without-it", file(),
                        e.toString());
                return HeldLock.NONE;
            }
            if (lock.isPresent()) {
                if (attempt > 0) {
                    LOG.info("safe-freeze-lock-taken attempts={}", attempt + 1);
                }
                return lock.get();
            }
            if (attempt == pauses.size()) {
                throw busy();
            }
            LOG.info("safe-freeze-lock-busy file={} attempt={} of={}", file(), attempt + 1, pauses.size() + 1);
            try {
                pause.sleep(pauses.get(attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw busy();
            }
            Optional<FileChannel> again = open(); // tryLock closed the channel it could not lock with
            if (again.isEmpty()) {
                return HeldLock.NONE;
            }
            channel = again.get();
        }
    }

    private HandlerException busy() {
        Duration waited = pauses.stream().reduce(Duration.ZERO, Duration::plus);
        return new HandlerException(ErrorCode.FS_FREEZE_FAILED, UPSTREAM_TEXT + ": another process (Azure Site"
                + " Recovery takes it while it freezes this VM's file systems) held " + file() + " through "
                + (pauses.size() + 1) + " tries over " + waited.toSeconds() + " s; nothing was frozen");
    }

    /** Empty when the file cannot be made: the backup then goes on without the lock, as upstream's does. */
    private Optional<FileChannel> open() throws HandlerException {
        try {
            makeDirectory();
            return Optional.of(FileChannel.open(file(), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), HeldLock.mode(file(), "rw-------")));
        } catch (IOException e) {
            if (Files.isSymbolicLink(file())) {
                throw symbolicLink(file());
            }
            LOG.warn("safe-freeze-lock-unavailable file={} error={} action=freeze-without-it", file(), e.toString());
            return Optional.empty();
        }
    }

    private void makeDirectory() throws IOException, HandlerException {
        try {
            Files.createDirectory(directory, HeldLock.mode(directory, "rwx------"));
        } catch (FileAlreadyExistsException e) {
            BasicFileAttributes attributes = Files.readAttributes(directory, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                throw symbolicLink(directory);
            }
            if (!attributes.isDirectory()) {
                throw new IOException(directory + " is not a directory");
            }
        }
    }

    private static HandlerException symbolicLink(Path path) {
        return new HandlerException(ErrorCode.FS_FREEZE_FAILED, path + " is a symbolic link, which the freeze lock"
                + " shared with Azure Site Recovery never follows; nothing was frozen. Remove it: the next backup makes"
                + " it again");
    }
}

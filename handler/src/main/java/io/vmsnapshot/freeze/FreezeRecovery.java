package io.vmsnapshot.freeze;

import io.vmsnapshot.agent.HeldLock;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thaws what a killed helper left frozen. Run at every handler start, before anything writes to
 * disk (a frozen root would block that write, and with it the recovery): if a freeze record exists
 * and its helper is gone, each recorded mount is thawed with {@code vmsnapshot-freeze --thaw};
 * mounts that are not frozen, or no longer mounted, are fine.
 *
 * <p>All of it runs under the {@link FreezeRecordLock}, taken without waiting: when it is busy, a
 * worker is in its freeze window (or another start is recovering) and owns the record, so this start
 * leaves it alone — it never thaws a live freeze nor deletes a live worker's record. The record is
 * read again under the lock, and deleted only if it still names the same helper (pid and start time).
 *
 * <p>A helper that is still running owns its freeze: it is left alone. "Running" means a process
 * with the recorded pid and the recorded start time. When the record's start time is 0 (it could
 * not be read when the record was written), a live pid counts only if its command line is the
 * helper's own: the packaged binary with the recorded mounts. Any other process with that pid is a
 * stranger that got the pid after the helper died, and the recorded mounts are thawed; thawing a
 * mount that is no longer frozen is harmless, leaving one frozen is not.
 *
 * <p>A helper alive well past any freeze window ({@link HelperWindow}) is stuck in the kernel: each
 * recorded mount is then thawed by a process of its own, so that the mount whose FIFREEZE hangs
 * (whose FITHAW would hang too) does not keep the others frozen. Its record stays while it lives.
 */
public final class FreezeRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(FreezeRecovery.class);
    /** Per mount, around a stuck helper: the hung mount's thaw waits behind its FIFREEZE, and is let be. */
    private static final Duration STUCK_MOUNT_WAIT = Duration.ofSeconds(3);

    private final FreezeRecordStore records;
    private final FreezeRecordLock lock;
    private final Path procRoot;
    private final Path helperBinary;
    private final HelperLauncher launcher;
    private final Duration thawWait;
    private final HelperWindow window;

    public FreezeRecovery(FreezeRecordStore records, Path procRoot, Path helperBinary, HelperLauncher launcher,
                          Duration thawWait) {
        this(records, procRoot, helperBinary, launcher, thawWait, HelperWindow.unbounded());
    }

    public FreezeRecovery(FreezeRecordStore records, Path procRoot, Path helperBinary, HelperLauncher launcher,
                          Duration thawWait, HelperWindow window) {
        this.window = Objects.requireNonNull(window, "window");
        this.records = Objects.requireNonNull(records, "records");
        this.lock = records.lock();
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
        this.helperBinary = Objects.requireNonNull(helperBinary, "helperBinary");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.thawWait = Objects.requireNonNull(thawWait, "thawWait");
    }

    /** @return the mounts that were still frozen and are now thawed (usually none) */
    public List<Path> recover() throws HandlerException {
        // No record, nothing to do: the lock (a file in the run directory) is not even made.
        if (!Files.exists(records.file())) {
            return List.of();
        }
        Optional<HeldLock> held;
        try {
            held = lock.tryAcquire();
        } catch (IOException e) {
            throw new HandlerException(ErrorCode.FS_FREEZE_FAILED, "cannot take the freeze record lock " + lock.file()
                    + ": " + e.getMessage() + "; the record " + records.file() + " was left as it is", e);
        }
        if (held.isEmpty()) {
            LOG.info("freeze-recovery-skipped reason=freeze-in-progress lock={}", lock.file());
            return List.of();
        }
        try (HeldLock locked = held.get()) {
            return recoverLocked();
        }
    }

    private List<Path> recoverLocked() throws HandlerException {
        Optional<FreezeRecord> found = records.read();
        if (found.isEmpty()) {
            return List.of();
        }
        FreezeRecord record = found.get();
        boolean alive = helperAlive(record);
        if (alive && window.overrun(record)) {
            return thawAroundStuckHelper(record);
        }
        if (alive) {
            LOG.info("freeze-recovery-skipped reason=helper-running pid={}", record.helperPid());
            return List.of();
        }
        List<Path> thawed = record.mountPoints().isEmpty() ? List.of() : thaw(record.mountPoints());
        try {
            if (!records.deleteIfSame(record)) {
                LOG.warn("freeze-record-kept reason=replaced pid={}", record.helperPid());
            }
        } catch (IOException e) {
            throw new HandlerException(ErrorCode.FS_FREEZE_FAILED,
                    "cannot delete the freeze record " + records.file() + ": " + e.getMessage(), e);
        }
        LOG.info("freeze-recovered pid={} thawed={}", record.helperPid(), thawed);
        return thawed;
    }

    private List<Path> thawAroundStuckHelper(FreezeRecord record) {
        ThawAround around = new ThawAround(helperBinary, launcher);
        List<Path> thawed = new ArrayList<>();
        List<String> mounts = record.mountPoints();
        for (int i = mounts.size() - 1; i >= 0; i--) {
            Path mount = helperBinary.getFileSystem().getPath(mounts.get(i));
            for (MountThaw outcome : around.thaw(List.of(mount), STUCK_MOUNT_WAIT)) {
                if (outcome.outcome() == MountThaw.Outcome.THAWED) {
                    thawed.add(mount);
                }
            }
        }
        LOG.warn("freeze-recovery-stuck-helper pid={} since={} thawed={}", record.helperPid(), record.createdAt(), thawed);
        return List.copyOf(thawed);
    }

    private boolean helperAlive(FreezeRecord record) {
        OptionalLong ticks = ProcStat.startTicks(procRoot, record.helperPid());
        if (ticks.isEmpty()) {
            return false;
        }
        if (record.helperStartTicks() != 0) {
            return ticks.getAsLong() == record.helperStartTicks();
        }
        List<String> argv = ProcStat.commandLine(procRoot, record.helperPid());
        return argv.size() == record.mountPoints().size() + 2
                && argv.get(0).equals(helperBinary.toAbsolutePath().toString())
                && argv.subList(2, argv.size()).equals(record.mountPoints());
    }

    private List<Path> thaw(List<String> mounts) throws HandlerException {
        if (!Files.isRegularFile(helperBinary) || !Files.isExecutable(helperBinary)) {
            throw new HandlerException(ErrorCode.FS_FREEZE_HELPER_NOT_FOUND, "the freeze helper " + helperBinary
                    + " is missing, so " + mounts + " may still be frozen; run 'fsfreeze -u <mount>' for each,"
                    + " then reinstall the extension");
        }
        List<String> argv = new ArrayList<>();
        argv.add(helperBinary.toAbsolutePath().toString());
        argv.add("--thaw");
        argv.addAll(mounts);
        HelperChannel channel;
        try {
            channel = new HelperChannel(launcher.start(argv));
        } catch (IOException e) {
            throw new HandlerException(ErrorCode.FS_FREEZE_HELPER_NOT_FOUND,
                    "cannot start the freeze helper " + helperBinary + " to thaw " + mounts + ": " + e.getMessage(), e);
        }
        ThawLines lines = ThawLines.read(channel, System.nanoTime() + thawWait.toNanos());
        channel.stop();
        channel.exitCode(1_000);
        List<String> failures = new ArrayList<>();
        List<Path> thawed = new ArrayList<>();
        for (HelperLine.MountResult result : lines.results()) {
            if (result.word().equals("thaw-failed")) {
                failures.add(result.mount() + " (" + result.text() + ")");
            } else if (result.word().equals("thawed")) {
                thawed.add(helperBinary.getFileSystem().getPath(result.mount()));
            }
        }
        if (!lines.done() || !failures.isEmpty()) {
            throw new HandlerException(ErrorCode.FS_FREEZE_FAILED, "cannot thaw what an earlier backup left frozen: "
                    + (failures.isEmpty() ? "the helper did not finish within " + thawWait.toSeconds() + " s" : failures)
                    + "; run 'fsfreeze -u <mount>' for " + mounts + "; the next start retries");
        }
        return List.copyOf(thawed);
    }
}

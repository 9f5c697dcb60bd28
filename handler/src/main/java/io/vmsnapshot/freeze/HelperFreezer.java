package io.vmsnapshot.freeze;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Freezes through the {@code vmsnapshot-freeze} helper: it opens the mounts ("ready"), the freeze
 * record is written, it freezes ("frozen"), and it thaws when the session asks or by itself (see
 * vmsnapshot-freeze.c). Between freeze and thaw this class opens no file: log lines go to slf4j,
 * whose sink holds them in memory during the freeze.
 */
public final class HelperFreezer implements Freezer {
    private static final Logger LOG = LoggerFactory.getLogger(HelperFreezer.class);
    /** After a stop request the helper needs only its thaw ioctls; this bounds the wait for them. */
    private static final long STOP_GRACE_MILLIS = 5_000;

    private final Path helperBinary;
    private final HelperLauncher launcher;
    private final FreezeRecordStore records;
    private final Path procRoot;
    private final Clock clock;
    private final Duration freezeWait;
    private final Duration thawWait;

    /**
     * @param helperBinary the packaged {@code bin/vmsnapshot-freeze}
     * @param procRoot     normally {@code /proc}, to record the helper's start time
     * @param freezeWait   how long opening and freezing all mounts may take when the call does not say
     *                     (upstream waits 66 s)
     * @param thawWait     how long the thaw may take before the session gives up on it (upstream 30 s)
     */
    public HelperFreezer(Path helperBinary, HelperLauncher launcher, FreezeRecordStore records, Path procRoot,
                         Clock clock, Duration freezeWait, Duration thawWait) {
        this.helperBinary = Objects.requireNonNull(helperBinary, "helperBinary");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.records = Objects.requireNonNull(records, "records");
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.freezeWait = requirePositive(freezeWait, "freezeWait");
        this.thawWait = requirePositive(thawWait, "thawWait");
    }

    @Override
    public FreezeSession freeze(List<Mount> mounts, Duration timeout) throws HandlerException {
        return freeze(mounts, timeout, freezeWait);
    }

    @Override
    public FreezeSession freeze(List<Mount> mounts, Duration timeout, Duration wait) throws HandlerException {
        requirePositive(timeout, "timeout");
        requirePositive(wait, "wait");
        if (mounts.isEmpty()) {
            LOG.info("freeze-skipped reason=no-eligible-mounts");
            return ThawResult::nothingFrozen;
        }
        List<Path> order = mounts.stream().map(Mount::mountPoint).toList();
        HelperChannel channel = start(order, timeout);
        long deadline = System.nanoTime() + wait.toNanos();

        HelperLine first = channel.next(deadline).orElse(null);
        if (!(first instanceof HelperLine.Ready)) {
            throw failedBeforeFreeze(channel, first, "open the mounts", wait);
        }
        writeRecord(channel, order);
        long freezeStart = System.nanoTime();
        channel.send("freeze");
        HelperLine second = channel.next(deadline).orElse(null);
        if (second instanceof HelperLine.Frozen) {
            long frozenAt = System.nanoTime();
            LOG.info("frozen mounts={} durationMs={}", order.size(), TimeUnit.NANOSECONDS.toMillis(frozenAt - freezeStart));
            return new Session(channel, order, frozenAt);
        }
        throw failedDuringFreeze(channel, order, second, wait);
    }

    private HelperChannel start(List<Path> order, Duration timeout) throws HandlerException {
        if (!Files.isRegularFile(helperBinary) || !Files.isExecutable(helperBinary)) {
            throw new HandlerException(ErrorCode.FS_FREEZE_HELPER_NOT_FOUND, "the freeze helper " + helperBinary
                    + " is missing or not executable; reinstall the extension");
        }
        List<String> argv = new ArrayList<>();
        argv.add(helperBinary.toAbsolutePath().toString());
        argv.add(Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000)));
        order.forEach(m -> argv.add(m.toString()));
        try {
            return new HelperChannel(launcher.start(argv));
        } catch (IOException e) {
            throw new HandlerException(ErrorCode.FS_FREEZE_HELPER_NOT_FOUND,
                    "cannot start the freeze helper " + helperBinary + ": " + e.getMessage() + ExecDenial.explain(e), e);
        }
    }

    private void writeRecord(HelperChannel channel, List<Path> order) throws HandlerException {
        long pid = channel.pid();
        FreezeRecord record = new FreezeRecord(pid, ProcStat.startTicks(procRoot, pid).orElse(0),
                clock.instant().toString(), order.stream().map(Path::toString).toList());
        try {
            records.write(record);
        } catch (HandlerException e) {
            channel.stop();
            throw e;
        }
    }

    /* Nothing is frozen before "ready" is answered with "freeze". */
    private HandlerException failedBeforeFreeze(HelperChannel channel, HelperLine line, String step, Duration wait) {
        if (line instanceof HelperLine.Error error) {
            channel.exitCode(STOP_GRACE_MILLIS);
            return helperError(error, "");
        }
        boolean timedOut = line == null && !channel.ended();
        channel.stop();
        if (timedOut) {
            return new HandlerException(ErrorCode.FS_FREEZE_TIMEOUT, "the freeze helper did not " + step
                    + " within " + wait.toSeconds() + " s");
        }
        return new HandlerException(ErrorCode.FS_FREEZE_FAILED, "the freeze helper ended before it could " + step
                + (line == null ? " (exit code " + channel.exitCode(STOP_GRACE_MILLIS) + ")" : ": " + line));
    }

    /* Some mounts may be frozen: the helper thaws them; we wait for its account of that. */
    private HandlerException failedDuringFreeze(HelperChannel channel, List<Path> order, HelperLine line,
                                                Duration wait) {
        boolean timedOut = line == null && !channel.ended();
        if (!(line instanceof HelperLine.Error)) {
            channel.stop();
        }
        ThawLines thaw = ThawLines.read(channel, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MILLIS));
        ThawResult result = new ThawResult(ThawTrigger.UNKNOWN, thaw.outcomes(order), 0);
        String thawNote = settle(result);
        channel.exitCode(STOP_GRACE_MILLIS);
        if (line instanceof HelperLine.Error error) {
            return helperError(error, thawNote);
        }
        if (timedOut) {
            return new HandlerException(ErrorCode.FS_FREEZE_TIMEOUT, "not all of " + order
                    + " were frozen within " + wait.toSeconds() + " s" + thawNote);
        }
        return new HandlerException(ErrorCode.FS_FREEZE_FAILED, "the freeze helper ended while freezing "
                + order + (line == null ? "" : ": " + line) + thawNote);
    }

    private static HandlerException helperError(HelperLine.Error error, String thawNote) {
        ErrorCode code = error.code() == ErrorCode.FS_UNABLE_TO_OPEN_MOUNT.code()
                ? ErrorCode.FS_UNABLE_TO_OPEN_MOUNT : ErrorCode.FS_FREEZE_FAILED;
        String what = code == ErrorCode.FS_UNABLE_TO_OPEN_MOUNT ? "cannot open mount " : "cannot freeze ";
        return new HandlerException(code, what + error.mount() + ": " + error.text() + thawNote);
    }

    /** Deletes the record when nothing can be frozen any more; says what is left otherwise. */
    private String settle(ThawResult result) {
        if (!result.allThawed()) {
            LOG.warn("thaw-incomplete {} record={}", result.summary(), records.file());
            return "; the thaw is incomplete (" + result.summary() + "), the next start retries it";
        }
        try {
            records.delete();
        } catch (IOException e) {
            // Harmless: the next start finds the helper gone and "thaws" mounts that are not frozen.
            LOG.warn("freeze-record-not-deleted file={} error={}", records.file(), e.getMessage());
        }
        return "";
    }

    private final class Session implements FreezeSession {
        private final HelperChannel channel;
        private final List<Path> order;
        private final long frozenAt;
        private ThawResult result;

        Session(HelperChannel channel, List<Path> order, long frozenAt) {
            this.channel = channel;
            this.order = order;
            this.frozenAt = frozenAt;
        }

        @Override
        public synchronized ThawResult thaw() {
            if (result != null) {
                return result;
            }
            long askedAt = System.nanoTime();
            channel.send("thaw");
            ThawLines thaw = ThawLines.read(channel, askedAt + thawWait.toNanos());
            if (!thaw.done()) {
                channel.stop();
                thaw.readMore(channel, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MILLIS));
            }
            channel.stop();
            int exit = channel.exitCode(STOP_GRACE_MILLIS);
            ThawTrigger trigger = thaw.why().isEmpty() ? ThawTrigger.UNKNOWN : HelperLine.trigger(thaw.why());
            result = new ThawResult(trigger, thaw.outcomes(order),
                    TimeUnit.NANOSECONDS.toMillis(askedAt - frozenAt));
            settle(result);
            LOG.info("thawed {} helperExit={} thawMs={}", result.summary(), exit,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - askedAt));
            return result;
        }
    }

    private static Duration requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }
}

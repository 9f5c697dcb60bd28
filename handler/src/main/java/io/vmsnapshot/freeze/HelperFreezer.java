package io.vmsnapshot.freeze;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Freezes through the {@code vmsnapshot-freeze} helper: it opens the mounts ("ready"), the freeze
 * record is written, it freezes ("frozen"), and it thaws when the session asks or by itself (see
 * vmsnapshot-freeze.c). Between freeze and thaw this class opens no file: log lines go to slf4j,
 * whose sink holds them in memory during the freeze.
 *
 * <p>A freeze never outlives the backup, whatever happens to the helper: when its output ends
 * without a complete thaw (SIGKILL, a crash) the session thaws around it from a new process at
 * once, on the reader thread; when it is stopped or does not answer the thaw, the session does so
 * at the thaw and then kills it; and when a FIFREEZE hangs (stalled I/O), the mounts frozen before
 * it are thawed from a new process at the freeze wait and the backup fails with 122 naming the
 * mount. The caller holds the log until {@link FreezeSession#thaw()} returns, which is after all that.
 */
public final class HelperFreezer implements Freezer {
    private static final Logger LOG = LoggerFactory.getLogger(HelperFreezer.class);
    /** After a stop request the helper needs only its thaw ioctls; this bounds the wait for them. */
    private static final long STOP_GRACE_MILLIS = 5_000;
    /** How often the thaw looks whether a silent helper is stopped, which no wait would cure. */
    private static final long STOPPED_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Path helperBinary;
    private final HelperLauncher launcher;
    private final FreezeRecordStore records;
    private final Path procRoot;
    private final Clock clock;
    private final Duration freezeWait;
    private final Duration thawWait;
    private final ThawAround thawAround;

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
        this.thawAround = new ThawAround(helperBinary, launcher);
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
        int freezing = -1;
        HelperLine second = channel.next(deadline).orElse(null);
        while (second instanceof HelperLine.Freezing next) {
            freezing = indexOf(order, next.mount());
            second = channel.next(deadline).orElse(null);
        }
        if (second instanceof HelperLine.Frozen) {
            long frozenAt = System.nanoTime();
            LOG.info("frozen mounts={} durationMs={}", order.size(), TimeUnit.NANOSECONDS.toMillis(frozenAt - freezeStart));
            Session session = new Session(channel, order, frozenAt);
            channel.onEndWithoutDone(session::helperLost);
            return session;
        }
        throw failedDuringFreeze(channel, order, second, freezing, wait);
    }

    /* A name we did not send cannot be placed: then any mount may be frozen. */
    private static int indexOf(List<Path> order, String mount) {
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i).toString().equals(mount)) {
                return i;
            }
        }
        return order.size() - 1;
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

    /*
     * Some mounts may be frozen: the helper thaws them and we wait for its account of that, or, if
     * it cannot give one, we thaw around it. {@code freezing} is the mount it was freezing last.
     */
    private HandlerException failedDuringFreeze(HelperChannel channel, List<Path> order, HelperLine line, int freezing,
                                                Duration wait) {
        boolean timedOut = line == null && !channel.ended();
        boolean stopped = timedOut && ProcStat.stopped(procRoot, channel.pid());
        if (timedOut && !stopped && freezing >= 0) {
            return stuckFreeze(channel, order, freezing, wait);
        }
        if (!(line instanceof HelperLine.Error)) {
            channel.stop();
        }
        ThawLines thaw = stopped ? new ThawLines()
                : ThawLines.read(channel, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MILLIS));
        List<MountThaw> outcomes = thaw.outcomes(order);
        if (!thaw.done()) {
            // Gone or stopped before its account was complete: only the mounts up to the one it
            // was freezing can be frozen, and no FIFREEZE of its is in progress to block a thaw.
            outcomes = withThawAround(outcomes, thawAround.thaw(order.subList(0, freezing + 1), thawWait), order, freezing);
            if (stopped && allKnownThawed(outcomes)) {
                channel.kill();
            }
        }
        String thawNote = settle(new ThawResult(ThawTrigger.UNKNOWN, outcomes, 0));
        channel.exitCode(stopped ? 0 : STOP_GRACE_MILLIS);
        if (line instanceof HelperLine.Error error) {
            return helperError(error, thawNote);
        }
        if (timedOut) {
            return new HandlerException(ErrorCode.FS_FREEZE_TIMEOUT, "not all of " + order
                    + " were frozen within " + wait.toSeconds() + " s" + (stopped ? " (the freeze helper is stopped)" : "")
                    + thawNote);
        }
        return new HandlerException(ErrorCode.FS_FREEZE_FAILED, "the freeze helper ended while freezing "
                + order + (line == null ? "" : ": " + line) + thawNote);
    }

    /*
     * A FIFREEZE that does not return (stalled I/O below the file system; on RHEL fapolicyd is a
     * frequent cause): nothing ends it, not even SIGKILL, and the helper cannot thaw what it froze
     * before. A new process thaws those now; the stuck helper gets end of input and SIGTERM, so the
     * moment its FIFREEZE returns it thaws that mount too. The record stays while it lives.
     */
    private HandlerException stuckFreeze(HelperChannel channel, List<Path> order, int stuck, Duration wait) {
        channel.stop();
        List<Path> frozen = order.subList(0, stuck);
        List<MountThaw> thawed = thawAround.thaw(frozen, thawWait);
        ThawResult around = new ThawResult(ThawTrigger.HELPER_STOPPED, thawed, 0);
        LOG.warn("freeze-stuck mount={} helperPid={} waitedS={} thawedAround={}", order.get(stuck), channel.pid(),
                wait.toSeconds(), around.summary());
        String others = frozen.isEmpty() ? "nothing else was frozen"
                : around.allThawed() ? "thawed " + frozen + " from a new process"
                : "the thaw of " + frozen + " from a new process is incomplete (" + around.summary()
                        + "); the next start retries it";
        return new HandlerException(ErrorCode.FS_FREEZE_TIMEOUT, "the freeze of " + order.get(stuck)
                + " did not return within " + wait.toSeconds() + " s: the I/O of that file system is stalled"
                + " (on RHEL, fapolicyd is a frequent cause); " + others + "; " + order.get(stuck)
                + " is thawed as soon as its freeze returns");
    }

    /**
     * The helper's account completed by the one of the process that thawed around it: a mount the
     * helper did not report on takes the new process's outcome; one after {@code lastTried} was
     * never frozen.
     */
    private static List<MountThaw> withThawAround(List<MountThaw> account, List<MountThaw> around, List<Path> order,
                                                  int lastTried) {
        Map<Path, MountThaw> byMount = new HashMap<>();
        around.forEach(m -> byMount.put(m.mountPoint(), m));
        List<MountThaw> merged = new ArrayList<>();
        for (MountThaw m : account) {
            MountThaw other = byMount.get(m.mountPoint());
            if (m.outcome() != MountThaw.Outcome.UNKNOWN) {
                merged.add(m);
            } else if (order.indexOf(m.mountPoint()) > lastTried) {
                merged.add(new MountThaw(m.mountPoint(), MountThaw.Outcome.NOT_FROZEN, "never frozen"));
            } else if (other == null) {
                merged.add(m);
            } else if (other.outcome() == MountThaw.Outcome.THAWED) {
                merged.add(new MountThaw(m.mountPoint(), MountThaw.Outcome.THAWED, "by a new process"));
            } else {
                merged.add(other);
            }
        }
        return merged;
    }

    private static boolean allKnownThawed(List<MountThaw> outcomes) {
        return new ThawResult(ThawTrigger.UNKNOWN, outcomes, 0).allThawed();
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
        private final Object aroundLock = new Object();
        private ThawResult result;
        /* The thaw around the helper, done once, by the reader thread or by thaw(): guarded by aroundLock. */
        private List<MountThaw> around;

        Session(HelperChannel channel, List<Path> order, long frozenAt) {
            this.channel = channel;
            this.order = order;
            this.frozenAt = frozenAt;
        }

        /* On the reader thread, the moment the helper's output ends without a complete thaw. */
        void helperLost() {
            thawAround(ThawTrigger.HELPER_LOST);
        }

        private List<MountThaw> thawAround(ThawTrigger why) {
            synchronized (aroundLock) {
                if (around == null) {
                    long start = System.nanoTime();
                    around = thawAround.thaw(order, thawWait);
                    LOG.warn("freeze-helper-{} pid={} thawedAround={} thawMs={}",
                            why == ThawTrigger.HELPER_LOST ? "lost" : "stopped", channel.pid(),
                            new ThawResult(why, around, 0).summary(),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                }
                return around;
            }
        }

        @Override
        public synchronized ThawResult thaw() {
            if (result != null) {
                return result;
            }
            long askedAt = System.nanoTime();
            channel.send("thaw");
            ThawLines thaw = awaitAccount(askedAt + thawWait.toNanos());
            if (!thaw.done() && !channel.ended() && !ProcStat.stopped(procRoot, channel.pid())) {
                // Running but silent: asking it to end makes it thaw, if it still can.
                channel.stop();
                thaw.readMore(channel, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MILLIS));
            }
            ThawTrigger trigger;
            List<MountThaw> outcomes;
            if (thaw.done()) {
                trigger = thaw.why().isEmpty() ? ThawTrigger.UNKNOWN : HelperLine.trigger(thaw.why());
                outcomes = thaw.outcomes(order);
            } else {
                trigger = channel.ended() ? ThawTrigger.HELPER_LOST : ThawTrigger.HELPER_STOPPED;
                outcomes = withThawAround(thaw.outcomes(order), thawAround(trigger), order, order.size() - 1);
                if (trigger == ThawTrigger.HELPER_STOPPED && allKnownThawed(outcomes)) {
                    channel.kill();
                }
            }
            channel.stop();
            int exit = channel.exitCode(STOP_GRACE_MILLIS);
            result = new ThawResult(trigger, outcomes, TimeUnit.NANOSECONDS.toMillis(askedAt - frozenAt));
            settle(result);
            LOG.info("thawed {} helperExit={} thawMs={}", result.summary(), exit,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - askedAt));
            return result;
        }

        /* The helper's account of the thaw, until done, its end, the deadline, or it is seen stopped. */
        private ThawLines awaitAccount(long deadline) {
            ThawLines thaw = new ThawLines();
            while (!thaw.done() && !channel.ended() && System.nanoTime() < deadline) {
                thaw.readMore(channel, Math.min(deadline, System.nanoTime() + STOPPED_CHECK_NANOS));
                if (!thaw.done() && !channel.ended() && ProcStat.stopped(procRoot, channel.pid())) {
                    break;
                }
            }
            return thaw;
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

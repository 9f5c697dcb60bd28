package io.vmsnapshot.backup;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.freeze.FreezeSession;
import io.vmsnapshot.freeze.Freezer;
import io.vmsnapshot.freeze.Mount;
import io.vmsnapshot.freeze.ThawResult;
import io.vmsnapshot.logging.LogHold;
import io.vmsnapshot.snapshot.PreparedSnapshot;
import io.vmsnapshot.snapshot.SnapshotOutcome;
import io.vmsnapshot.snapshot.SnapshotRequest;
import io.vmsnapshot.snapshot.SnapshotTaker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window the customer pays for: freeze, snapshot, thaw — and nothing else in it. Everything the
 * snapshot needs that does not have to see frozen file systems (the host's PreSnapshot, the choice
 * of creator, ADE reads, open connections) is prepared before the freeze, and the too-late rule is
 * checked then with the host's clock. The extension log is held in memory for the whole window (a
 * write to a frozen file system would block the thaw), and the thaw runs whatever happens inside —
 * an exception, a failed snapshot, a stop request.
 */
final class FreezeSnapshotStep {
    private static final Logger LOG = LoggerFactory.getLogger(FreezeSnapshotStep.class);
    /** Time kept back from the freeze budget for the thaw itself. */
    private static final Duration THAW_MARGIN = Duration.ofSeconds(5);

    private final MountSource mounts;
    private final Freezer freezer;
    private final SnapshotTaker snapshotter;
    private final LogHold logHold;
    private final Clock clock;

    FreezeSnapshotStep(MountSource mounts, Freezer freezer, SnapshotTaker snapshotter, LogHold logHold, Clock clock) {
        this.mounts = Objects.requireNonNull(mounts, "mounts");
        this.freezer = Objects.requireNonNull(freezer, "freezer");
        this.snapshotter = Objects.requireNonNull(snapshotter, "snapshotter");
        this.logHold = Objects.requireNonNull(logHold, "logHold");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param commandStartTicks  {@code commandStartTimeUTCTicks}, for the too-late rule
     * @param fsFreezeEnabled    the customer's choice (plugin config)
     * @param crashAllowed       the service allows a crash-consistent snapshot when the freeze fails
     * @param freezeTimeout      the helper's auto-thaw; the snapshot must end well before it
     * @param freezeWait         how long opening and freezing the mounts may take
     * @param mountsToSkip       the customer's vmbackup.conf MountsToSkip
     * @param cancellation       a stop request (disable) that came while the snapshot was prepared
     *                           keeps the file systems from being frozen at all
     */
    FreezeSnapshotResult run(SnapshotRequest request, Optional<Long> commandStartTicks, boolean fsFreezeEnabled,
                             boolean crashAllowed, Duration freezeTimeout, Duration freezeWait, Set<Path> mountsToSkip,
                             PhaseTimeline timeline, Cancellation cancellation) {
        List<Mount> targets = List.of();
        Optional<ErrorCode> freezeError = Optional.empty();
        String freezeDetail = "";
        if (fsFreezeEnabled) {
            try {
                targets = mounts.eligible(mountsToSkip);
            } catch (HandlerException e) {
                freezeError = Optional.of(e.errorCode());
                freezeDetail = e.detail();
            }
        }
        Optional<PreparedSnapshot> prepared = Optional.empty();
        if (freezeError.isEmpty() || crashAllowed) {
            long start = timeline.now();
            prepared = Optional.of(snapshotter.prepare(request));
            timeline.record("prepare", start);
            // Checked again now, as upstream does after its freeze: the pre-scripts may have taken
            // long, and PreSnapshot has just told the host's time, which the VM's clock may not match.
            Optional<Duration> late = CommandDeadline.tooLate(commandStartTicks, prepared.get().hostTime(), clock.instant());
            if (late.isPresent()) {
                boolean hostClock = prepared.get().hostTime().isPresent();
                LOG.info("freeze-window-skipped reason=too-late ageMinutes={} clock={}", late.get().toMinutes(),
                        hostClock ? "host" : "local");
                return FreezeSnapshotResult.tooLate("The command was sent " + late.get().toMinutes() + " minutes ago by the "
                        + (hostClock ? "host's" : "VM's") + " clock; the limit is " + CommandDeadline.LIMIT.toMinutes()
                        + ". No snapshot was taken.");
            }
        }
        // The preparation can take 40 s against a hanging WireServer; a stop asked meanwhile must
        // not be answered with a freeze. The caller reports it as any stop before the window.
        if (cancellation.isCancelled()) {
            LOG.info("freeze-window-skipped reason=stop-requested");
            return FreezeSnapshotResult.notReached();
        }
        FreezeState state;
        FreezeSession session = null;
        Optional<SnapshotOutcome> snapshot = Optional.empty();
        ThawResult thaw = null;
        LOG.info("freeze-window-start mounts={} fsFreezeEnabled={}", targets.stream().map(Mount::mountPoint).toList(),
                fsFreezeEnabled);
        logHold.hold();
        try {
            if (!fsFreezeEnabled) {
                state = FreezeState.DISABLED_BY_CONFIG;
            } else if (freezeError.isPresent()) {
                state = FreezeState.FAILED;
            } else if (targets.isEmpty()) {
                state = FreezeState.NOTHING_TO_FREEZE;
            } else {
                long start = timeline.now();
                try {
                    session = freezer.freeze(targets, freezeTimeout, freezeWait);
                    state = FreezeState.FROZEN;
                } catch (HandlerException e) {
                    state = FreezeState.FAILED;
                    freezeError = Optional.of(e.errorCode());
                    freezeDetail = e.detail();
                }
                timeline.record("freeze", start);
            }
            if (prepared.isPresent() && (state != FreezeState.FAILED || crashAllowed)) {
                long start = timeline.now();
                snapshot = Optional.of(prepared.get().take(clock.instant().plus(snapshotBudget(freezeTimeout))));
                timeline.record("snapshot", start);
            }
        } finally {
            if (session != null) {
                long start = timeline.now();
                thaw = session.thaw();
                timeline.record("thaw", start);
                timeline.put("freezeWindow", thaw.frozenMillis());
            }
            release();
        }
        LOG.info("freeze-window-end state={} thaw={} snapshot={}", state, thaw == null ? "none" : thaw.summary(),
                snapshot.map(s -> s.error().map(ErrorCode::upstreamName).orElse("success")).orElse("skipped"));
        boolean inconsistent = thaw != null && !thaw.consistent();
        if (inconsistent) {
            freezeError = Optional.of(thaw.allThawed() ? ErrorCode.FS_FREEZE_TIMEOUT : ErrorCode.FS_FREEZE_FAILED);
            freezeDetail = "The file systems did not stay frozen until the snapshot ended: " + thaw.summary();
        }
        return new FreezeSnapshotResult(state, freezeError, freezeDetail, snapshot, inconsistent, targets.size());
    }

    /**
     * The freeze timeout less a margin for the thaw, but never the whole timeout: for short
     * timeouts (5 s) a fixed floor would let the snapshot run past the helper's auto-thaw.
     */
    static Duration snapshotBudget(Duration freezeTimeout) {
        Duration budget = freezeTimeout.minus(THAW_MARGIN);
        Duration half = freezeTimeout.dividedBy(2);
        return budget.compareTo(half) < 0 ? half : budget;
    }

    private void release() {
        try {
            logHold.release();
        } catch (IOException e) {
            // The held lines are lost; the backup's outcome is not, and it goes on to the status.
            LOG.error("log-release-failed error={}", e.toString());
        }
    }
}

package io.vmsnapshot.process;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a script and everything it started: every process of its session (the script is a
 * session and group leader, started through {@code setsid}) and every descendant, including those
 * that escaped into a session of their own. SIGTERM first, SIGKILL to whatever is left after the
 * grace. Java has no {@code killpg}; one scan of {@code /proc} per round is cheaper than spawning
 * {@code kill(1)} and also finds the escaped ones. A process that escaped by a double fork into a
 * session of its own is neither in the group nor a descendant any more; it is found by the marker
 * in its environment that the launcher gave the script. Each signal is sent right after checking
 * that the pid still has the start time we saw, so a reused pid is not hit.
 */
final class GroupKiller {
    private static final Logger LOG = LoggerFactory.getLogger(GroupKiller.class);
    private static final long RECHECK_MILLIS = 2;
    private static final Duration KILL_SETTLE = Duration.ofMillis(500);
    /** The start time of a leader that is our own child not yet reaped: its pid cannot have been reused. */
    static final long UNCHECKED = -1;

    private final ProcTable procs;
    private final ScheduledExecutorService scheduler;

    GroupKiller(ProcTable procs, ScheduledExecutorService scheduler) {
        this.procs = Objects.requireNonNull(procs, "procs");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * Completes with true if some process survived SIGKILL.
     *
     * @param markerEntry the {@code NAME=value} environment entry every process of the script
     *                    inherited ({@link GroupProcessLauncher#markerEntry}), or null to find them by
     *                    group, session and parentage only
     */
    CompletableFuture<Boolean> kill(long leader, Duration grace, byte[] markerEntry) {
        return kill(new Target(leader, UNCHECKED, markerEntry), grace).thenApply(Outcome::survivors);
    }

    /** Kills what a script of a dead launcher left, recognised only as {@link Target} says. */
    CompletableFuture<Outcome> kill(Target target, Duration grace) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        Map<Long, ProcTable.Entry> targets = new HashMap<>();
        Set<Long> signalled = new HashSet<>();
        collect(target, targets);
        signal(targets, false, signalled);
        // One more scan right away catches what was forked between the first scan and the signal.
        rescan(target, targets, false, signalled);
        long termDeadline = System.nanoTime() + grace.toNanos();
        scheduler.execute(() -> round(target, targets, signalled, termDeadline, false, done));
        return done;
    }

    /**
     * Whom to kill: the leader's session and group and its descendants, and carriers of the marker.
     * With {@code leaderTicks} the leader is trusted only while it is the very process that was
     * started (same start time): a group or session id is then provably the script's, because the
     * kernel hands a pid out again only once no process uses it as pid, group or session id any
     * more. Without a live leader only the marker, 64 random bits, tells the script's processes.
     *
     * @param leader      the script's pid, or 0 when unknown (the marker alone then decides)
     * @param leaderTicks the leader's start time; {@link #UNCHECKED} for a child of ours not yet reaped
     * @param marker      the {@code NAME=value} environment entry, or null
     */
    record Target(long leader, long leaderTicks, byte[] marker) {
    }

    /** @param killed how many processes were signalled; @param survivors some survived SIGKILL */
    record Outcome(int killed, boolean survivors) {
    }

    /**
     * Checks only the known targets (a few stat reads) until they are gone; a full scan confirms
     * at the end that nothing new appeared, so the table is scanned three or four times per kill.
     */
    private void round(Target target, Map<Long, ProcTable.Entry> targets, Set<Long> signalled, long deadline,
            boolean forced, CompletableFuture<Outcome> done) {
        targets.values().removeIf(entry -> !procs.isLive(entry));
        if (targets.isEmpty() && !rescan(target, targets, forced, signalled)) {
            done.complete(new Outcome(signalled.size(), false));
        } else if (System.nanoTime() < deadline) {
            scheduler.schedule(() -> round(target, targets, signalled, deadline, forced, done), RECHECK_MILLIS,
                    TimeUnit.MILLISECONDS);
        } else if (!forced) {
            signal(targets, true, signalled);
            long settle = System.nanoTime() + KILL_SETTLE.toNanos();
            scheduler.execute(() -> round(target, targets, signalled, settle, true, done));
        } else {
            LOG.warn("process-kill-incomplete leader={} survivors={}", target.leader(), targets.keySet());
            done.complete(new Outcome(signalled.size(), true));
        }
    }

    /** Adds and signals processes of the group not seen before; true if there were any. */
    private boolean rescan(Target target, Map<Long, ProcTable.Entry> targets, boolean forcibly, Set<Long> signalled) {
        Map<Long, ProcTable.Entry> fresh = new HashMap<>();
        collect(target, fresh);
        fresh.keySet().removeAll(targets.keySet());
        if (fresh.isEmpty()) {
            return false;
        }
        signal(fresh, forcibly, signalled);
        targets.putAll(fresh);
        return true;
    }

    private void collect(Target target, Map<Long, ProcTable.Entry> targets) {
        long leader = target.leader();
        long self = ProcessHandle.current().pid();
        List<ProcTable.Entry> all = procs.all();
        boolean leaderTrusted = leader > 0 && (target.leaderTicks() == UNCHECKED || all.stream().anyMatch(
                entry -> entry.pid() == leader && entry.isLive() && entry.startTicks() == target.leaderTicks()));
        Map<Long, Long> parents = new HashMap<>();
        all.forEach(entry -> parents.put(entry.pid(), entry.parent()));
        for (ProcTable.Entry entry : all) {
            if (!entry.isLive() || entry.pid() == self) {
                continue;
            }
            boolean inGroup = leaderTrusted && (entry.session() == leader || entry.group() == leader
                    || descends(entry.pid(), leader, parents));
            if (inGroup || (target.marker() != null && procs.environContains(entry.pid(), target.marker()))) {
                targets.putIfAbsent(entry.pid(), entry);
            }
        }
    }

    private static boolean descends(long pid, long ancestor, Map<Long, Long> parents) {
        long current = pid;
        for (int depth = 0; depth < parents.size() && current > 1; depth++) {
            if (current == ancestor) {
                return true;
            }
            current = parents.getOrDefault(current, 0L);
        }
        return false;
    }

    private void signal(Map<Long, ProcTable.Entry> targets, boolean forcibly, Set<Long> signalled) {
        for (ProcTable.Entry entry : targets.values()) {
            if (!procs.isLive(entry)) {
                continue;
            }
            signalled.add(entry.pid());
            ProcessHandle.of(entry.pid()).ifPresent(handle -> {
                if (forcibly) {
                    handle.destroyForcibly();
                } else {
                    handle.destroy();
                }
            });
        }
    }
}

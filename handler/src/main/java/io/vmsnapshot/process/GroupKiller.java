package io.vmsnapshot.process;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    private final ProcTable procs;
    private final ScheduledExecutorService scheduler;

    GroupKiller(ProcTable procs, ScheduledExecutorService scheduler) {
        this.procs = Objects.requireNonNull(procs, "procs");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * Completes with true if some process survived SIGKILL.
     *
     * @param marker the {@code NAME=value} environment entry every process of the script inherited,
     *               or null to find them by group, session and parentage only
     */
    CompletableFuture<Boolean> kill(long leader, Duration grace, String marker) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        Target target = new Target(leader, marker == null ? null : marker.getBytes(StandardCharsets.UTF_8));
        Map<Long, ProcTable.Entry> targets = new HashMap<>();
        collect(target, targets);
        signal(targets, false);
        // One more scan right away catches what was forked between the first scan and the signal.
        rescan(target, targets, false);
        long termDeadline = System.nanoTime() + grace.toNanos();
        scheduler.execute(() -> round(target, targets, termDeadline, false, done));
        return done;
    }

    /** Whom to kill: the leader's session and group, its descendants, and carriers of the marker. */
    private record Target(long leader, byte[] marker) {
    }

    /**
     * Checks only the known targets (a few stat reads) until they are gone; a full scan confirms
     * at the end that nothing new appeared, so the table is scanned three or four times per kill.
     */
    private void round(Target target, Map<Long, ProcTable.Entry> targets, long deadline, boolean forced,
            CompletableFuture<Boolean> done) {
        targets.values().removeIf(entry -> !procs.isLive(entry));
        if (targets.isEmpty() && !rescan(target, targets, forced)) {
            done.complete(false);
        } else if (System.nanoTime() < deadline) {
            scheduler.schedule(() -> round(target, targets, deadline, forced, done), RECHECK_MILLIS,
                    TimeUnit.MILLISECONDS);
        } else if (!forced) {
            signal(targets, true);
            long settle = System.nanoTime() + KILL_SETTLE.toNanos();
            scheduler.execute(() -> round(target, targets, settle, true, done));
        } else {
            LOG.warn("process-kill-incomplete leader={} survivors={}", target.leader(), targets.keySet());
            done.complete(true);
        }
    }

    /** Adds and signals processes of the group not seen before; true if there were any. */
    private boolean rescan(Target target, Map<Long, ProcTable.Entry> targets, boolean forcibly) {
        Map<Long, ProcTable.Entry> fresh = new HashMap<>();
        collect(target, fresh);
        fresh.keySet().removeAll(targets.keySet());
        if (fresh.isEmpty()) {
            return false;
        }
        signal(fresh, forcibly);
        targets.putAll(fresh);
        return true;
    }

    private void collect(Target target, Map<Long, ProcTable.Entry> targets) {
        long leader = target.leader();
        long self = ProcessHandle.current().pid();
        List<ProcTable.Entry> all = procs.all();
        Map<Long, Long> parents = new HashMap<>();
        all.forEach(entry -> parents.put(entry.pid(), entry.parent()));
        for (ProcTable.Entry entry : all) {
            if (!entry.isLive() || entry.pid() == self) {
                continue;
            }
            boolean inGroup = entry.session() == leader || entry.group() == leader;
            if (inGroup || descends(entry.pid(), leader, parents)
                    || (target.marker() != null && procs.environContains(entry.pid(), target.marker()))) {
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

    private void signal(Map<Long, ProcTable.Entry> targets, boolean forcibly) {
        for (ProcTable.Entry entry : targets.values()) {
            if (!procs.isLive(entry)) {
                continue;
            }
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

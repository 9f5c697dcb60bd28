package io.vmsnapshot.process;

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
 * {@code kill(1)} and also finds the escaped ones. Each signal is sent right after checking that the
 * pid still has the start time we saw, so a reused pid is not hit.
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

    /** Completes with true if some process survived SIGKILL. */
    CompletableFuture<Boolean> kill(long leader, Duration grace) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        Map<Long, ProcTable.Entry> targets = new HashMap<>();
        collect(leader, targets);
        signal(targets, false);
        // One more scan right away catches what was forked between the first scan and the signal.
        rescan(leader, targets, false);
        long termDeadline = System.nanoTime() + grace.toNanos();
        scheduler.execute(() -> round(leader, targets, termDeadline, false, done));
        return done;
    }

    /**
     * Checks only the known targets (a few stat reads) until they are gone; a full scan confirms
     * at the end that nothing new appeared, so the table is scanned three or four times per kill.
     */
    private void round(long leader, Map<Long, ProcTable.Entry> targets, long deadline, boolean forced,
            CompletableFuture<Boolean> done) {
        targets.values().removeIf(entry -> !procs.isLive(entry));
        if (targets.isEmpty() && !rescan(leader, targets, forced)) {
            done.complete(false);
        } else if (System.nanoTime() < deadline) {
            scheduler.schedule(() -> round(leader, targets, deadline, forced, done), RECHECK_MILLIS,
                    TimeUnit.MILLISECONDS);
        } else if (!forced) {
            signal(targets, true);
            long settle = System.nanoTime() + KILL_SETTLE.toNanos();
            scheduler.execute(() -> round(leader, targets, settle, true, done));
        } else {
            LOG.warn("process-kill-incomplete leader={} survivors={}", leader, targets.keySet());
            done.complete(true);
        }
    }

    /** Adds and signals processes of the group not seen before; true if there were any. */
    private boolean rescan(long leader, Map<Long, ProcTable.Entry> targets, boolean forcibly) {
        Map<Long, ProcTable.Entry> fresh = new HashMap<>();
        collect(leader, fresh);
        fresh.keySet().removeAll(targets.keySet());
        if (fresh.isEmpty()) {
            return false;
        }
        signal(fresh, forcibly);
        targets.putAll(fresh);
        return true;
    }

    private void collect(long leader, Map<Long, ProcTable.Entry> targets) {
        List<ProcTable.Entry> all = procs.all();
        Map<Long, Long> parents = new HashMap<>();
        all.forEach(entry -> parents.put(entry.pid(), entry.parent()));
        for (ProcTable.Entry entry : all) {
            boolean inGroup = entry.session() == leader || entry.group() == leader;
            if (entry.isLive() && (inGroup || descends(entry.pid(), leader, parents))) {
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

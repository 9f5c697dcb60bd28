package io.vmsnapshot.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Kills, from a later process, what a script of a dead launcher left running: a worker killed by
 * SIGKILL or the OOM killer takes no script with it, and a pre-script still running would keep
 * the application quiesced and race the owed post-script. Only provably the script's processes
 * are touched: carriers of its marker, and — while the script itself still runs with the start
 * time recorded for it — its group, its session and its descendants. SIGTERM first, SIGKILL after
 * the grace, as for a script of our own.
 */
public final class ScriptReaper {
    private final ProcTable procs;
    private final GroupKiller killer;

    public ScriptReaper(Path procRoot, ScheduledExecutorService scheduler) {
        this.procs = new ProcTable(Objects.requireNonNull(procRoot, "procRoot"));
        this.killer = new GroupKiller(procs, Objects.requireNonNull(scheduler, "scheduler"));
    }

    /** The real {@code /proc}, with a timer thread of its own. */
    public static ScriptReaper system() {
        return new ScriptReaper(Path.of("/proc"), Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "reaper-timer");
            thread.setDaemon(true);
            return thread;
        }));
    }

    /**
     * The trace of a script just started with this marker. Its start time counts only if the
     * process behind the pid carries the marker (the launcher returns once the script's program is
     * exec'd with it), so a pid reused in between is never recorded as ours. A script already gone
     * is traced by its marker alone.
     */
    public ProcessTrace trace(String marker, long pid) {
        byte[] entry = GroupProcessLauncher.markerEntry(marker);
        return procs.read(pid).filter(ProcTable.Entry::isLive)
                .filter(found -> procs.environContains(pid, entry))
                .map(found -> new ProcessTrace(marker, pid, found.startTicks()))
                .orElseGet(() -> ProcessTrace.beforeStart(marker));
    }

    /** Completes once everything of the script is gone, or survived SIGKILL (stuck in the kernel). */
    public CompletableFuture<Reaped> reap(ProcessTrace trace, Duration grace) {
        return killer.kill(new GroupKiller.Target(trace.pid(), trace.startTicks(),
                GroupProcessLauncher.markerEntry(trace.marker())), grace)
                .thenApply(outcome -> new Reaped(outcome.killed(), outcome.survivors()));
    }

    /**
     * @param killed    how many processes were still running and were signalled
     * @param survivors some of them survived SIGKILL
     */
    public record Reaped(int killed, boolean survivors) {
    }
}

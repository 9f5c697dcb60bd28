package io.vmsnapshot.process;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One started child and its process group. Completion is driven by events only: the child's exit
 * ({@link Process#onExit()}), the timeout timer, and the end of the group after a kill. After the
 * exit, output is awaited for at most {@link #DRAIN}: a daemon the script left behind may hold the
 * pipe open for days, and the script's result must not wait for it.
 */
final class RunningGroup implements RunningScript {
    static final Duration DRAIN = Duration.ofMillis(100);
    private static final int SIGKILL = 9;

    private final Process process;
    private final ProcessSpec spec;
    private final OutputPump pump;
    private final GroupKiller killer;
    private final long startNanos;
    private final byte[] markerEntry;
    private final CompletableFuture<ProcessResult> completion = new CompletableFuture<>();
    private ScheduledFuture<?> timer;
    private CompletableFuture<Boolean> kill;
    private boolean timedOut;
    private boolean exited;

    /** @param markerEntry the {@code NAME=value} environment entry the child and all it starts carry */
    RunningGroup(Process process, ProcessSpec spec, OutputPump pump, GroupKiller killer, long startNanos,
            byte[] markerEntry) {
        this.process = Objects.requireNonNull(process, "process");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.pump = Objects.requireNonNull(pump, "pump");
        this.killer = Objects.requireNonNull(killer, "killer");
        this.startNanos = startNanos;
        this.markerEntry = Objects.requireNonNull(markerEntry, "markerEntry");
    }

    /** Arms the timeout and the exit handler; called once, right after the start. */
    void watch(ScheduledExecutorService scheduler) {
        synchronized (this) {
            timer = scheduler.schedule(() -> kill(true), spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
        }
        process.onExit().whenComplete((ignored, error) -> onExit());
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public CompletableFuture<ProcessResult> completion() {
        return completion;
    }

    @Override
    public void terminate() {
        kill(false);
    }

    private synchronized void kill(boolean byTimeout) {
        if (exited || kill != null) {
            return;
        }
        timedOut = byTimeout;
        kill = killer.kill(process.pid(), spec.killGrace(), markerEntry);
        // A script stuck in the kernel (D state, e.g. writing to a frozen or hung file system) never
        // exits, not even on SIGKILL: once the kill gives up, the result is due without its exit.
        kill.thenAccept(survivors -> {
            if (survivors && process.isAlive()) {
                finishUnkillable();
            }
        });
    }

    private void finishUnkillable() {
        Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
        boolean wasTimedOut;
        synchronized (this) {
            wasTimedOut = timedOut;
        }
        completion.complete(new ProcessResult(null, SIGKILL, wasTimedOut, duration, pump.tail(), true));
    }

    private void onExit() {
        CompletableFuture<Boolean> groupGone;
        synchronized (this) {
            exited = true;
            timer.cancel(false);
            groupGone = kill != null ? kill : CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Void> drained = pump.endOfFile().copy()
                .completeOnTimeout(null, DRAIN.toMillis(), TimeUnit.MILLISECONDS);
        groupGone.thenCombine(drained, (leftovers, ignored) -> leftovers)
                .thenAccept(this::finish);
    }

    private void finish(boolean leftovers) {
        Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
        boolean wasTimedOut;
        synchronized (this) {
            wasTimedOut = timedOut;
        }
        completion.complete(ProcessResult.fromStatus(process.exitValue(), wasTimedOut, duration, pump.tail(),
                leftovers));
    }
}

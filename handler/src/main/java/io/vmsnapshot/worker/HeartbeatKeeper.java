package io.vmsnapshot.worker;

import io.vmsnapshot.logging.LogHold;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the heartbeat file fresh while a backup runs (the agent calls a handler unresponsive after
 * 600 s without a write), except while the log is held: the heartbeat file may live on a file
 * system that is frozen then, and a blocked write would be a thread stuck until the thaw. The check
 * and the write are one step ({@link LogHold#unlessHeld}): the hold before a freeze waits for a
 * write in flight, so none runs into the window.
 */
public final class HeartbeatKeeper implements AutoCloseable {
    public static final Duration PERIOD = Duration.ofSeconds(60);

    private final ScheduledExecutorService timer;

    private HeartbeatKeeper(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** @param beat writes the heartbeat; skipped while the log is held, and the hold waits for it */
    public static HeartbeatKeeper start(Runnable beat, LogHold logHold) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(() -> logHold.unlessHeld(beat), 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return new HeartbeatKeeper(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package io.vmsnapshot.lifecycle;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops an in-flight worker the safe way: SIGTERM, which makes it thaw and run the post-scripts
 * before it reports and exits; then waits for its lock to be released. Never SIGKILL: a killed
 * worker would leave the application quiesced until the next start recovers it.
 */
final class WorkerStopper {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerStopper.class);
    private static final long POLL_MILLIS = 50;

    private WorkerStopper() {
    }

    /** @return true when no worker runs any more */
    static boolean stop(Path lockFile, Duration patience) throws IOException {
        OptionalLong holder = WorkerLock.holder(lockFile);
        if (holder.isEmpty()) {
            return true;
        }
        LOG.info("worker-stop pid={}", holder.getAsLong());
        Optional<ProcessHandle> worker = ProcessHandle.of(holder.getAsLong());
        worker.ifPresent(ProcessHandle::destroy);
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            // Gone means both: the lock is free and the process has exited (a JVM lingers briefly).
            if (WorkerLock.holder(lockFile).isEmpty() && worker.map(w -> !w.isAlive()).orElse(true)) {
                LOG.info("worker-stopped pid={}", holder.getAsLong());
                return true;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        LOG.error("worker-still-running pid={} waitedSeconds={}", holder.getAsLong(), patience.toSeconds());
        return false;
    }
}

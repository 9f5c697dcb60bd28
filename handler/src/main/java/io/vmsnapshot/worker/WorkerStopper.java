package io.vmsnapshot.worker;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
        return stop(lockFile, List.of(), patience);
    }

    /** @param starting workers found otherwise (e.g. by command line) that may not hold the lock yet */
    static boolean stop(Path lockFile, List<Long> starting, Duration patience) throws IOException {
        Set<Long> pids = new LinkedHashSet<>(starting);
        WorkerLock.holder(lockFile).ifPresent(pids::add);
        if (pids.isEmpty()) {
            return true;
        }
        LOG.info("worker-stop pids={}", pids);
        List<ProcessHandle> workers = pids.stream().map(ProcessHandle::of).flatMap(Optional::stream).toList();
        workers.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            // Gone means both: the lock is free and the process has exited (a JVM lingers briefly).
            if (WorkerLock.holder(lockFile).isEmpty() && workers.stream().noneMatch(ProcessHandle::isAlive)) {
                LOG.info("worker-stopped pids={}", pids);
                return true;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        LOG.error("worker-still-running pids={} waitedSeconds={}", pids, patience.toSeconds());
        return false;
    }
}

package io.vmsnapshot.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerStopperTest {
    @TempDir
    Path dir;

    private Path lockFile() {
        return dir.resolve("state").resolve("worker.lock");
    }

    @Test
    void stop_withoutAWorker_returnsAtOnce() throws Exception {
        long start = System.nanoTime();
        assertTrue(WorkerStopper.stop(lockFile(), Duration.ofMinutes(1)));
        // Not the minute of patience, with room for a cold JVM on a loaded machine.
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
    }

    @Test
    void stop_sendsSigtermAndWaitsUntilTheWorkerHasLetGoOfTheLock() throws Exception {
        try (ChildLockHolder worker = new ChildLockHolder(lockFile(), false)) {
            assertTrue(WorkerStopper.stop(lockFile(), Duration.ofSeconds(20)));
            assertTrue(worker.exitsWithin(5_000));
        }
    }

    @Test
    void stop_whenTheWorkerDoesNotFinishInTime_saysSoAndNeverKillsIt() throws Exception {
        try (ChildLockHolder worker = new ChildLockHolder(lockFile(), true)) {
            assertFalse(WorkerStopper.stop(lockFile(), Duration.ofMillis(500)));
            assertFalse(worker.exitsWithin(0), "a worker may be thawing: it is not killed");
        }
    }
}

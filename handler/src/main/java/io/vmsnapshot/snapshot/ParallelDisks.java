package io.vmsnapshot.snapshot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Runs one task per disk on at most {@link RetryPolicy#maxParallel()} threads and returns the
 * results in disk order; a task that does not finish by the deadline (plus one attempt's timeout,
 * a guard against a stuck call) becomes a failure of that disk, not of the others.
 */
final class ParallelDisks {
    /** What a disk's task becomes when it did not finish: no answer in time, interrupted, or a bug. */
    @FunctionalInterface
    interface Unfinished<T> {
        T of(int index, String why, String errorMessage);
    }

    private final Clock clock;
    private final RetryPolicy policy;

    ParallelDisks(Clock clock, RetryPolicy policy) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    int workers(int disks) {
        return Math.min(policy.maxParallel(), disks);
    }

    /** @param budget what the deadline is, for the sentence of a disk that did not finish by then */
    <T> List<T> run(int count, Instant deadline, String budget, IntFunction<T> task, Unfinished<T> unfinished) {
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers(count), r -> {
            Thread t = new Thread(r, "snapshot-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> task.apply(index)));
            }
            List<T> results = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                results.add(await(futures.get(i), i, deadline, budget, unfinished));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private <T> T await(Future<T> future, int index, Instant deadline, String budget, Unfinished<T> unfinished) {
        long waitMs = Math.max(0, Duration.between(clock.instant(), deadline).toMillis()) + policy.attemptTimeout().toMillis();
        try {
            return future.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return unfinished.of(index, "no answer before " + budget + " ran out", "timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return unfinished.of(index, "interrupted", "interrupted");
        } catch (ExecutionException e) {
            // A bug in the task, not a storage fault: report it on the disk rather than lose the others.
            String what = e.getCause().getClass().getSimpleName();
            return unfinished.of(index, "internal error " + what, what);
        }
    }
}

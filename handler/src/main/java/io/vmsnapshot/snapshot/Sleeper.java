package io.vmsnapshot.snapshot;

import java.time.Duration;

/** Waits between retries; a seam so tests can assert the backoff without waiting. */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}

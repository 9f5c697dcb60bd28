package io.vmsnapshot.workload;

import io.vmsnapshot.process.RunningScript;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A client session that holds the quiesce (a lock, backup mode, or a timer that ends it): the
 * database side ends by itself when the session ends, and the session ends by itself after the
 * workload timeout.
 */
final class Holder {
    private final RunningScript process;
    private final Transcript transcript;

    Holder(RunningScript process, Transcript transcript) {
        this.process = process;
        this.transcript = transcript;
    }

    /** The line that confirmed the quiesce, if one came. */
    Optional<String> readyLine() {
        return transcript.readyLine();
    }

    boolean alive() {
        return !process.completion().isDone();
    }

    List<String> lines() {
        return transcript.lines();
    }

    /** Ends the session's whole process group and waits, at most {@code wait}, for it to be gone. */
    void end(Duration wait) {
        if (alive()) {
            process.terminate();
        }
        awaitEnd(wait);
    }

    /** Waits until the session ended by itself; true if it did within {@code wait}. */
    boolean awaitEnd(Duration wait) {
        try {
            process.completion().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !alive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package io.vmsnapshot.workload;

import io.vmsnapshot.process.LineSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** A client's output, kept (the last lines) for the report, and the moment a line says the session is ready. */
final class Transcript implements LineSink {
    private static final int KEEP = 40;

    private final Predicate<String> ready;
    private final List<String> lines = new ArrayList<>();
    private final CompletableFuture<Boolean> readyOrEnded = new CompletableFuture<>();
    private String readyLine;

    Transcript(Predicate<String> ready) {
        this.ready = ready;
    }

    @Override
    public synchronized void line(String line) {
        lines.add(line);
        if (lines.size() > KEEP) {
            lines.remove(0);
        }
        if (readyLine == null && ready.test(line)) {
            readyLine = line;
            readyOrEnded.complete(true);
        }
    }

    void ended() {
        readyOrEnded.complete(false);
    }

    CompletableFuture<Boolean> readyOrEnded() {
        return readyOrEnded;
    }

    synchronized Optional<String> readyLine() {
        return Optional.ofNullable(readyLine);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}

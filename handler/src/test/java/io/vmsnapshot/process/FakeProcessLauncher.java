package io.vmsnapshot.process;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A strict stand-in for the real launcher: each start consumes the next scripted behaviour
 * (fails the test if none is left) and records the spec, so tests assert the exact argv and env.
 */
public final class FakeProcessLauncher implements ProcessLauncher {
    /** What the next started process does. */
    public sealed interface Behaviour permits Exits, Hangs, FailsToStart {
    }

    public record Exits(int status, boolean timedOut, List<String> output) implements Behaviour {
    }

    /** Never exits until terminated; then reports SIGTERM. */
    public record Hangs() implements Behaviour {
    }

    public record FailsToStart(String message) implements Behaviour {
    }

    private final Deque<Behaviour> script = new ArrayDeque<>();
    private final List<ProcessSpec> started = new ArrayList<>();
    private final List<FakeRunning> terminated = new ArrayList<>();

    public synchronized FakeProcessLauncher then(Behaviour behaviour) {
        script.addLast(behaviour);
        return this;
    }

    public FakeProcessLauncher thenExit(int status, String... output) {
        return then(new Exits(status, false, List.of(output)));
    }

    public FakeProcessLauncher thenTimeout() {
        return then(new Exits(143, true, List.of()));
    }

    public FakeProcessLauncher thenHang() {
        return then(new Hangs());
    }

    @Override
    public synchronized RunningScript start(ProcessSpec spec) throws IOException {
        started.add(spec);
        Behaviour next = script.pollFirst();
        if (next == null) {
            throw new AssertionError("unexpected process start: " + spec.argv());
        }
        if (next instanceof FailsToStart fails) {
            throw new IOException(fails.message());
        }
        FakeRunning running = new FakeRunning(started.size());
        if (next instanceof Exits exits) {
            exits.output().forEach(spec.output()::line);
            running.completion.complete(ProcessResult.fromStatus(exits.status(), exits.timedOut(), Duration.ofMillis(1),
                    exits.output(), false));
        }
        return running;
    }

    public synchronized List<ProcessSpec> started() {
        return List.copyOf(started);
    }

    public synchronized int terminations() {
        return terminated.size();
    }

    /** Fails if a scripted behaviour was never used. */
    public synchronized void assertAllUsed() {
        if (!script.isEmpty()) {
            throw new AssertionError("expected more process starts: " + script);
        }
    }

    private final class FakeRunning implements RunningScript {
        private final long pid;
        private final CompletableFuture<ProcessResult> completion = new CompletableFuture<>();

        FakeRunning(long pid) {
            this.pid = pid;
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public CompletableFuture<ProcessResult> completion() {
            return completion;
        }

        @Override
        public void terminate() {
            synchronized (FakeProcessLauncher.this) {
                terminated.add(this);
            }
            completion.complete(ProcessResult.fromStatus(128 + 15, false, Duration.ofMillis(1), List.of(), false));
        }
    }
}

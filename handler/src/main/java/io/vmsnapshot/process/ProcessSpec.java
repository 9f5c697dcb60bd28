package io.vmsnapshot.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run: the exact argv (no shell), its working directory, its whole environment (nothing is
 * inherited), how long it may run, how long it gets between SIGTERM and SIGKILL, and where its
 * output lines go.
 */
public record ProcessSpec(List<String> argv, Path workDir, Map<String, String> env, Duration timeout,
        Duration killGrace, LineSink output) {

    public ProcessSpec {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv must name a program");
        }
        Objects.requireNonNull(workDir, "workDir");
        env = Map.copyOf(env);
        requirePositive(timeout, "timeout");
        Objects.requireNonNull(killGrace, "killGrace");
        if (killGrace.isNegative()) {
            throw new IllegalArgumentException("killGrace must not be negative: " + killGrace);
        }
        Objects.requireNonNull(output, "output");
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}

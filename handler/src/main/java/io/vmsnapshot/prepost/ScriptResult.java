package io.vmsnapshot.prepost;

import io.vmsnapshot.error.ErrorCode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one configured script ended in one phase: its last attempt's exit code or signal, whether
 * that attempt timed out, the time all attempts took, the last output lines, and the seed error
 * if it did not succeed.
 */
public record ScriptResult(String plugin, ScriptPhase phase, String script, int attempts, Integer exitCode,
        Integer signal, boolean timedOut, long durationMillis, List<String> lastLines, Optional<ErrorCode> error) {

    public ScriptResult {
        Objects.requireNonNull(plugin, "plugin");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(script, "script");
        if (attempts < 0 || durationMillis < 0) {
            throw new IllegalArgumentException("attempts and duration must not be negative");
        }
        lastLines = List.copyOf(lastLines);
        Objects.requireNonNull(error, "error");
    }

    public boolean succeeded() {
        return error.isEmpty();
    }

    /** The error's name, or {@code success}: what the dry-run table and the log show. */
    public String outcomeName() {
        return error.map(ErrorCode::displayName).orElse("success");
    }
}

package io.vmsnapshot.prepost;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One phase across all plugins. {@code errors} lists every failed script's error in plugin order
 * (the first one is what the status reports); {@code continueBackup} is false when a failed
 * script's plugin says {@code continueBackupOnFailure: false} (the caller still applies the
 * single-disk exception).
 */
public record PhaseResult(ScriptPhase phase, List<ScriptResult> scripts, List<Finding> errors,
        boolean continueBackup) {

    public PhaseResult {
        Objects.requireNonNull(phase, "phase");
        scripts = List.copyOf(scripts);
        errors = List.copyOf(errors);
    }

    public static PhaseResult nothingRun(ScriptPhase phase, List<Finding> errors) {
        return new PhaseResult(phase, List.of(), errors, true);
    }

    public Optional<Finding> firstError() {
        return errors.stream().findFirst();
    }

    /**
     * Whether this phase still allows an application-consistent backup: at least one script ran and
     * every script succeeded. (Consistency also needs the freeze; the orchestrator adds that.)
     */
    public boolean applicationConsistent() {
        return !scripts.isEmpty() && errors.isEmpty();
    }
}

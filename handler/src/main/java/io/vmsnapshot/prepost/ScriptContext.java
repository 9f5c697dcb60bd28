package io.vmsnapshot.prepost;

import java.util.Map;
import java.util.Objects;

/**
 * What a phase run knows about the backup: its task id and extra environment variables for the
 * scripts, e.g. {@code VMSNAPSHOT_SNAPSHOT_OUTCOME} for the post phase.
 */
public record ScriptContext(String taskId, Map<String, String> extraEnv) {
    public static final String SNAPSHOT_OUTCOME_ENV = "VMSNAPSHOT_SNAPSHOT_OUTCOME";

    public ScriptContext {
        Objects.requireNonNull(taskId, "taskId");
        extraEnv = Map.copyOf(extraEnv);
    }
}

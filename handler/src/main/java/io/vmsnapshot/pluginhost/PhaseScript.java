package io.vmsnapshot.pluginhost;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** One configured script: absolute path, its argv parameters (empty ones dropped), retries after a failure. */
record PhaseScript(Path location, List<String> params, int retries) {
    PhaseScript {
        Objects.requireNonNull(location, "location");
        if (!location.isAbsolute()) {
            throw new IllegalArgumentException("script location must be absolute: " + location);
        }
        params = nonEmpty(params);
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative: " + retries);
        }
    }

    private static List<String> nonEmpty(List<String> params) {
        List<String> kept = new ArrayList<>();
        for (String param : params) {
            if (!param.isEmpty()) {
                kept.add(param);
            }
        }
        return List.copyOf(kept);
    }

    int maxAttempts() {
        return retries + 1;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PhaseScript that && location.equals(that.location) && params.equals(that.params)
                && retries == that.retries;
    }

    @Override
    public int hashCode() {
        return Objects.hash(location, params, retries);
    }

    @Override
    public String toString() {
        return "PhaseScript[location=" + location + ", params=" + params + ", retries=" + retries + "]";
    }
}

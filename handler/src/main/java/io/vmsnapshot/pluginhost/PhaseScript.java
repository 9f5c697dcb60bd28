package io.vmsnapshot.pluginhost;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** One configured script: absolute path, its argv parameters (empty ones dropped), retries after a failure. */
record PhaseScript(Path location, List<String> params, int retries) {
    PhaseScript {
        Objects.requireNonNull(location, "location");
        if (!location.isAbsolute()) {
            throw new IllegalArgumentException("script location must be absolute: " + location);
        }
        params = params.stream().filter(param -> !param.isEmpty()).toList();
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative: " + retries);
        }
    }

    int maxAttempts() {
        return retries + 1;
    }
}

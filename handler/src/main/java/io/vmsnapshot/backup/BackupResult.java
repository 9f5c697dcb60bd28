package io.vmsnapshot.backup;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one backup decided and did, before anything is said about it: the verdict, the detail for
 * the message, the freeze-snapshot window and how long each phase took. The report package turns
 * it into documents and uploads; the flow itself sends nothing anywhere.
 *
 * @param phaseMillis milliseconds per phase ({@code pre}, {@code freeze}, ...), in the order they ran
 * @param totalMillis from the start of the flow to its verdict
 * @param scripts     empty when the flow stopped before it looked at the pre/post configuration
 *                    (a command that came too late)
 */
public record BackupResult(BackupVerdict verdict, String detail, FreezeSnapshotResult window,
                           Map<String, Long> phaseMillis, long totalMillis, Optional<Scripts> scripts) {
    public BackupResult {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(window, "window");
        phaseMillis = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(phaseMillis));
        Objects.requireNonNull(scripts, "scripts");
    }

    /**
     * @param configured pre/post scripts are set up (telemetry {@code isPrePostEnabled})
     * @param ran        the pre phase ran, so the post phase did too (telemetry {@code prePostEnabled})
     */
    public record Scripts(boolean configured, boolean ran) {
    }
}

package io.vmsnapshot.backup;

import java.util.LinkedHashMap;
import java.util.List;
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
 * @param warnings    what the customer must read in the status although it changed no verdict (a
 *                    customer file ignored or read in another way than written, a script that
 *                    needed retries), each one sentence, already in the request's language where
 *                    the catalogue has it; the status message ends with them
 */
public record BackupResult(BackupVerdict verdict, String detail, FreezeSnapshotResult window,
                           Map<String, Long> phaseMillis, long totalMillis, Optional<Scripts> scripts,
                           List<String> warnings) {
    public BackupResult {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(window, "window");
        phaseMillis = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(phaseMillis));
        Objects.requireNonNull(scripts, "scripts");
        warnings = List.copyOf(warnings);
    }

    /**
     * @param configured pre/post scripts are set up (telemetry {@code isPrePostEnabled})
     * @param ran        the pre phase ran, so the post phase did too (telemetry {@code prePostEnabled})
     */
    public record Scripts(boolean configured, boolean ran) {
    }
}

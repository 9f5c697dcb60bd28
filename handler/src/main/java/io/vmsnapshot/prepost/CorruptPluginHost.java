package io.vmsnapshot.prepost;

import io.vmsnapshot.error.ErrorCode;
import java.util.List;
import java.util.Objects;

/**
 * Stands in for a plugin host that failed its integrity check: it reports
 * {@code IncorrectPluginhostFile} (312) and never runs a script.
 */
final class CorruptPluginHost implements PluginHost {
    private final Finding finding;

    CorruptPluginHost(String detail) {
        this.finding = new Finding(ErrorCode.PLUGINHOST_CORRUPT, Objects.requireNonNull(detail, "detail"));
    }

    @Override
    public Precheck precheck() {
        return new Precheck(List.of(finding), true, true, true, true, List.of());
    }

    @Override
    public PhaseResult run(ScriptPhase phase, ScriptContext context) {
        return PhaseResult.nothingRun(phase, List.of(finding));
    }
}

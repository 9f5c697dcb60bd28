package io.vmsnapshot.prepost;

import io.vmsnapshot.error.ErrorCode;
import java.util.List;
import java.util.Objects;

/**
 * Stands in for a plugin host that failed its integrity check: it never runs a script. When the
 * customer set up pre/post it reports {@code IncorrectPluginhostFile} (312), so the backup falls back
 * and says why; when nothing is set up, no script would have run anyway, so it is a warning (in the
 * log and in {@code check}) and the backup is "not configured" as on any VM without scripts, not a
 * yellow health telling the customer to uninstall the extension.
 */
final class CorruptPluginHost implements PluginHost {
    private final Finding finding;
    private final boolean scriptsConfigured;

    CorruptPluginHost(String detail, boolean scriptsConfigured) {
        this.finding = new Finding(ErrorCode.PLUGINHOST_CORRUPT, Objects.requireNonNull(detail, "detail"));
        this.scriptsConfigured = scriptsConfigured;
    }

    @Override
    public Precheck precheck() {
        if (!scriptsConfigured) {
            return new Precheck(List.of(), false, false, true, true, List.of(finding.error().displayName() + " ("
                    + finding.error().code() + "): " + finding.detail() + "; no pre/post script is configured, so no"
                    + " backup is affected"));
        }
        return new Precheck(List.of(finding), true, true, true, true, List.of());
    }

    @Override
    public PhaseResult run(ScriptPhase phase, ScriptContext context) {
        return PhaseResult.nothingRun(phase, scriptsConfigured ? List.of(finding) : List.of());
    }
}

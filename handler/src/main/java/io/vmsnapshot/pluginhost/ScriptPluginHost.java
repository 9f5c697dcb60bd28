package io.vmsnapshot.pluginhost;

import io.vmsnapshot.prepost.Finding;
import io.vmsnapshot.prepost.PhaseResult;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.Precheck;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin host for one backup. Configs are read and checked once, on first use, and both phases
 * run from that same reading: the post phase runs the post-scripts of the configuration whose
 * pre-scripts ran, even if someone edits the files in between.
 */
final class ScriptPluginHost implements PluginHost {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptPluginHost.class);

    private final ConfigInspector inspector;
    private final PhaseRunner runner;
    private Inspection inspection;

    ScriptPluginHost(ConfigInspector inspector, PhaseRunner runner) {
        this.inspector = Objects.requireNonNull(inspector, "inspector");
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    @Override
    public Precheck precheck() {
        return inspection().precheck();
    }

    @Override
    public PhaseResult run(ScriptPhase phase, ScriptContext context) {
        Inspection current = inspection();
        if (!current.precheck().findings().isEmpty()) {
            return PhaseResult.nothingRun(phase, current.precheck().findings());
        }
        PhaseResult result = runner.run(phase, context, current);
        Optional<Finding> error = result.firstError();
        LOG.info("phase-end phase={} scripts={} error={}", phase.label(), result.scripts().size(),
                error.isPresent() ? error.get().error().displayName() : "none");
        return result;
    }

    private synchronized Inspection inspection() {
        if (inspection == null) {
            inspection = inspector.inspect();
            Precheck precheck = inspection.precheck();
            for (String warning : precheck.warnings()) {
                LOG.warn("prepost-config-warning detail={}", warning);
            }
            for (String note : precheck.notes()) {
                LOG.info("prepost-config-note detail={}", note);
            }
            for (Finding finding : precheck.findings()) {
                LOG.warn("prepost-precheck-finding error={} code={} detail={}", finding.error().displayName(),
                        finding.error().code(), finding.detail());
            }
            LOG.info("prepost-precheck scriptsConfigured={} plugins={} fsFreezeEnabled={} continueBackupOnFailure={}",
                    precheck.scriptsConfigured(), inspection.plugins().size(), precheck.fsFreezeEnabled(),
                    precheck.continueBackupOnFailure());
        }
        return inspection;
    }
}

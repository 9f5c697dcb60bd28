package io.vmsnapshot.workload;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.prepost.CustomerConfigFiles;
import io.vmsnapshot.prepost.Finding;
import io.vmsnapshot.prepost.PhaseResult;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.PluginHostSettings;
import io.vmsnapshot.prepost.Precheck;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import io.vmsnapshot.prepost.ScriptResult;
import io.vmsnapshot.process.ProcessLauncher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's precedence, kept: when {@code workload.conf} names a database, its quiesce replaces the
 * script plugin host for the backup ({@code VMSnapshotPluginConfig.json} is not run, and {@code check}
 * says so); without one, the script plugin host decides alone. Where we differ from upstream: an
 * unknown {@code workload_name} or an unusable file is reported (a file-system-consistent backup with
 * the reason) instead of silently falling back to the scripts, because the customer asked for the
 * database to be quiesced.
 *
 * <p>The workload appears as one plugin named {@code workload.conf (<database>)}: its steps are the
 * scripts of that plugin, reported, timed and journaled as scripts are. It never fails a backup:
 * {@code continueBackupOnFailure} is true and the freeze stays on (upstream's effective behaviour).
 */
public final class WorkloadPluginHost implements PluginHost {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadPluginHost.class);

    private final PluginHost scripts;
    private final WorkloadSetup setup;
    private final PluginHostSettings settings;
    private final Optional<Quiescer> quiescer;

    public WorkloadPluginHost(PluginHost scripts, WorkloadSetup setup, PluginHostSettings settings,
            ProcessLauncher launcher) {
        this(scripts, setup, quiescersFrom(launcher), settings);
    }

    /** With the quiescer made by {@code quiescers} (a test's fake). */
    WorkloadPluginHost(PluginHost scripts, WorkloadSetup setup, Function<WorkloadConf, Quiescer> quiescers,
            PluginHostSettings settings) {
        this.scripts = Objects.requireNonNull(scripts, "scripts");
        this.setup = Objects.requireNonNull(setup, "setup");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.quiescer = setup.conf().map(quiescers);
    }

    private static Function<WorkloadConf, Quiescer> quiescersFrom(ProcessLauncher launcher) {
        return conf -> quiescerFor(conf, launcher);
    }

    static Quiescer quiescerFor(WorkloadConf conf, ProcessLauncher launcher) {
        ClientRunner runner = new ClientRunner(launcher, conf.linuxUser());
        return switch (conf.database()) {
            case MYSQL, MARIADB -> new MysqlQuiescer(conf, runner);
            case POSTGRES -> new PostgresQuiescer(conf, runner);
            case ORACLE -> new OracleQuiescer(conf, runner);
        };
    }

    private String plugin() {
        return "workload.conf (" + setup.name() + ")";
    }

    @Override
    public Precheck precheck() {
        if (setup.state() == WorkloadSetup.State.ABSENT) {
            return scripts.precheck();
        }
        List<String> warnings = new ArrayList<>(setup.warnings());
        if (CustomerConfigFiles.present(settings)) {
            warnings.add(settings.configDir() + ": the pre/post-script config is present but not run: "
                    + settings.configDir().resolve(WorkloadConfReader.FILE_NAME) + " names the database "
                    + setup.name() + ", whose quiesce replaces the scripts (as upstream)");
        }
        warnings.forEach(warning -> LOG.warn("workload-config-warning detail={}", warning));
        setup.problem().ifPresent(problem -> LOG.warn("workload-config-problem error={} detail={}",
                problem.error().displayName(), problem.detail()));
        return new Precheck(setup.problem().map(List::of).orElse(List.of()), true, true, true, true, warnings);
    }

    @Override
    public PhaseResult run(ScriptPhase phase, ScriptContext context) {
        if (setup.state() == WorkloadSetup.State.ABSENT) {
            return scripts.run(phase, context);
        }
        if (quiescer.isEmpty()) {
            return PhaseResult.nothingRun(phase, setup.problem().map(List::of).orElse(List.of()));
        }
        List<Step> steps = phase == ScriptPhase.PRE ? quiescer.get().quiesce() : quiescer.get().release();
        List<ScriptResult> results = new ArrayList<>();
        List<Finding> errors = new ArrayList<>();
        for (Step step : steps) {
            Optional<ErrorCode> error = step.error().map(Finding::error);
            // The step goes into the plugin column too: dry-run's table names plugins, not scripts.
            results.add(new ScriptResult(plugin() + ": " + step.name(), phase, step.name(), 1, error.isPresent() ? 1 : 0, null,
                    step.timedOut(), step.duration().toMillis(), step.lines(), error));
            // Which database and step failed, for the status: the detail alone may be the client's words.
            step.error().ifPresent(f -> errors.add(new Finding(f.error(), "workload.conf " + phase.label() + " step \""
                    + step.name() + "\": " + f.detail())));
            LOG.info("workload-step phase={} database={} step=\"{}\" outcome={} durationMs={} detail=\"{}\"",
                    phase.label(), setup.name(), step.name(), error.map(ErrorCode::displayName).orElse("success"),
                    step.duration().toMillis(), step.error().map(Finding::detail)
                            .orElse(String.join(" / ", step.lines())));
        }
        return new PhaseResult(phase, results, errors, true);
    }
}

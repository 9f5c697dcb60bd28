package io.vmsnapshot;

import io.vmsnapshot.agent.HandlerEnvironmentFile;
import io.vmsnapshot.agent.HandlerPaths;
import io.vmsnapshot.agent.Operation;
import io.vmsnapshot.backup.MountSource;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.estate.EstateReport;
import io.vmsnapshot.estate.FapolicydTrust;
import io.vmsnapshot.estate.PolicyEngines;
import io.vmsnapshot.estate.RuntimeRecord;
import io.vmsnapshot.freeze.FreezeEligibility;
import io.vmsnapshot.freeze.FreezeRecordStore;
import io.vmsnapshot.freeze.FreezeRecovery;
import io.vmsnapshot.freeze.HelperWindow;
import io.vmsnapshot.freeze.Mount;
import io.vmsnapshot.freeze.MountTable;
import io.vmsnapshot.freeze.ResourceDiskLocator;
import io.vmsnapshot.freeze.SystemHelperLauncher;
import io.vmsnapshot.freeze.VmBackupConf;
import io.vmsnapshot.journal.BackupJournal;
import io.vmsnapshot.journal.InterruptedBackups;
import io.vmsnapshot.journal.JournalBackupRecovery;
import io.vmsnapshot.journal.JournaledProcessLauncher;
import io.vmsnapshot.lifecycle.Command;
import io.vmsnapshot.lifecycle.CommandTable;
import io.vmsnapshot.lifecycle.DisableCommand;
import io.vmsnapshot.lifecycle.EnableCommand;
import io.vmsnapshot.lifecycle.Handler;
import io.vmsnapshot.lifecycle.InstallCommand;
import io.vmsnapshot.lifecycle.MountSurvey;
import io.vmsnapshot.lifecycle.OperatorCommands;
import io.vmsnapshot.lifecycle.StatusCommand;
import io.vmsnapshot.lifecycle.UninstallCommand;
import io.vmsnapshot.lifecycle.UpdateCommand;
import io.vmsnapshot.lifecycle.WorkerCommand;
import io.vmsnapshot.logging.LogHold;
import io.vmsnapshot.logging.Redactor;
import io.vmsnapshot.network.CaStore;
import io.vmsnapshot.network.NetworkFacts;
import io.vmsnapshot.network.ProxyConfig;
import io.vmsnapshot.network.StorageTrust;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.process.ProcessLauncher;
import io.vmsnapshot.workload.WorkloadConfReader;
import io.vmsnapshot.workload.WorkloadPluginHost;
import io.vmsnapshot.workload.WorkloadSetup;
import io.vmsnapshot.prepost.PluginHostLoader;
import io.vmsnapshot.prepost.PluginHostSettings;
import io.vmsnapshot.process.GroupProcessLauncher;
import io.vmsnapshot.process.ScriptReaper;
import io.vmsnapshot.report.AgentFileAccess;
import io.vmsnapshot.report.FailedTaskReporter;
import io.vmsnapshot.report.TaskRegistry;
import io.vmsnapshot.seqno.SequenceNumberResolver;
import io.vmsnapshot.seqno.SequenceNumberStore;
import io.vmsnapshot.settings.SettingsReader;
import io.vmsnapshot.settings.SettingsScrubber;
import io.vmsnapshot.worker.DetachedWorkerLauncher;
import io.vmsnapshot.worker.WorkerLauncher;
import io.vmsnapshot.worker.Workers;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one wiring root: builds every command with the collaborators it uses, from the real machine
 * (/proc, /sys, the helper binary in the package, the network; a backup's own services are built by
 * {@link BackupWiring} when one runs). Like Main, this is allowed to touch the world; nothing below it
 * reads the environment or picks an implementation.
 */
final class SystemWiring {
    private static final Logger LOG = LoggerFactory.getLogger(SystemWiring.class);
    static final Path PROC = Path.of("/proc");
    static final Path SYS = Path.of("/sys");
    static final Path DEV = Path.of("/dev");
    static final Duration THAW_WAIT = Duration.ofSeconds(30);

    private final HandlerPaths paths;
    private final Map<String, String> env;
    private final Clock clock;
    private final HandlerEnvironmentFile environmentFile;
    private final LogHold logHold;
    private final Supplier<List<String>> logLines;
    private final Redactor redactor;
    private final PrintStream out;
    private final PrintStream err;
    private final long pid;
    private final String version;
    /** Its timer thread starts only if a recovery has something to kill. */
    private final ScriptReaper reaper = ScriptReaper.system();

    /**
     * @param environmentFile HandlerEnvironment.json, already read once for the log's location
     * @param logLines        every line this process logged, for the logs blob
     * @param out             the operator's terminal; {@code err} is what the agent records of a failed command
     */
    SystemWiring(HandlerPaths paths, Map<String, String> env, Clock clock, HandlerEnvironmentFile environmentFile,
                 LogHold logHold, Supplier<List<String>> logLines, Redactor redactor, PrintStream out,
                 PrintStream err, long pid, String version) {
        this.paths = paths;
        this.env = Map.copyOf(env);
        this.clock = clock;
        this.environmentFile = environmentFile;
        this.logHold = logHold;
        this.logLines = logLines;
        this.redactor = redactor;
        this.out = out;
        this.err = err;
        this.pid = pid;
        this.version = version;
    }

    /**
     * The handler of this process, every command built. First of all a killed freeze helper's
     * leftovers are thawed, before anything is written (any verb may be the first start after it).
     */
    Handler handler() {
        List<Path> thawed = recoverFreeze();
        BackupJournal journal = new BackupJournal(paths.stateDir(), clock);
        journal.noteThawed(thawed);
        AgentFileAccess agentFiles = new AgentFileAccess(environmentFile, paths, clock);
        TaskRegistry tasks = new TaskRegistry(paths.taskRegistryFile());
        FailedTaskReporter failedTasks = new FailedTaskReporter(tasks, clock);
        SettingsReader settingsReader = new SettingsReader(paths.agentDir());
        SettingsScrubber scrubber = new SettingsScrubber();
        WorkerLauncher launcher = new DetachedWorkerLauncher(GroupProcessLauncher.systemSetsid(), paths.launcher(),
                paths.packageRoot());
        InterruptedBackups interrupted = new InterruptedBackups(
                new JournalBackupRecovery(journal, journaledPluginHosts(journal), reaper, thawed), failedTasks,
                paths.workerLockFile(), launcher);
        Workers workers = new Workers(paths.workerLockFile(), PROC, paths.packageRoot(), pid, Workers.PATIENCE);

        Map<Operation, Command> commands = new EnumMap<>(Operation.class);
        commands.put(Operation.INSTALL, new InstallCommand(paths));
        commands.put(Operation.ENABLE, new EnableCommand(agentFiles, new SequenceNumberResolver(env),
                new SequenceNumberStore(paths.mostRecentSequenceFile()), settingsReader, scrubber, tasks,
                failedTasks, paths.workerLockFile(), launcher, interrupted, env, clock));
        commands.put(Operation.DISABLE, new DisableCommand(workers, agentFiles, tasks, failedTasks));
        commands.put(Operation.UNINSTALL, new UninstallCommand(paths, workers));
        commands.put(Operation.UPDATE, new UpdateCommand(paths, env, tasks, clock));
        commands.put(Operation.WORKER, new WorkerCommand(agentFiles, settingsReader, scrubber, failedTasks, interrupted,
                new BackupWiring(paths, env, clock, journal, journaledPluginHosts(journal), mounts(), tasks, logHold,
                        logLines, redactor, pid, version), paths.workerLockFile(),
                hook -> Runtime.getRuntime().addShutdownHook(new Thread(hook, "stop-request")), logHold, redactor, pid,
                out, WorkerCommand.LOCK_WAIT));
        // Built when one of them runs: the operator's message bundle and its collaborators are no
        // part of what the agent's commands wait for.
        commands.put(Operation.CHECK, arguments -> operatorCommands().check().run(arguments));
        commands.put(Operation.DRY_RUN, arguments -> operatorCommands().dryRun().run(arguments));
        commands.put(Operation.STATUS, new StatusCommand(tasks, out));
        return new Handler(CommandTable.standard(commands), agentFiles, env, redactor, out, err, version);
    }

    /** check and dry-run, in the operator's language. */
    private OperatorCommands operatorCommands() {
        Messages messages = Messages.forLocale(operatorLocale(env));
        return new OperatorCommands(pluginHosts(), mounts(), skippedMounts(), () -> estate(messages),
                new VmBackupConf(paths.configDir()), messages, out, clock,
                () -> new NetworkFacts(ProxyConfig.from(env), BackupWiring.wireServer(env),
                        CaStore.from(env, handlerUid()), StorageTrust::bundledRoots).lines(messages));
    }

    /** The operator's language: VMSNAPSHOT_LOCALE, else the shell's LANG (zh_CN.UTF-8 → zh-CN). */
    private static String operatorLocale(Map<String, String> env) {
        String value = env.getOrDefault("VMSNAPSHOT_LOCALE", env.getOrDefault("LANG", ""));
        int dot = value.indexOf('.');
        return dot >= 0 ? value.substring(0, dot) : value;
    }

    /** The package has one static helper per architecture, in {@code bin/<uname -m>/}. */
    static Path freezeHelper(HandlerPaths paths) {
        return paths.packageRoot().resolve("bin").resolve(Machine.current().name()).resolve("vmsnapshot-freeze");
    }

    /**
     * Thaws what a killed freeze helper left frozen; runs at every start, before anything is written.
     *
     * @return the mounts thawed, for the report of the interrupted backup
     */
    private List<Path> recoverFreeze() {
        logHold.hold();
        try {
            List<Path> thawed = new FreezeRecovery(new FreezeRecordStore(paths.runDir()), PROC, freezeHelper(paths),
                    new SystemHelperLauncher(), THAW_WAIT, HelperWindow.of(PROC, clock, HelperWindow.DEFAULT_MARGIN))
                    .recover();
            if (!thawed.isEmpty()) {
                LOG.warn("freeze-recovered thawed={}", thawed);
            }
            return thawed;
        } catch (HandlerException e) {
            LOG.error("freeze-recovery-failed code={} detail={}", e.errorCode().upstreamName(), e.detail());
            return List.of();
        } finally {
            try {
                logHold.release();
            } catch (IOException e) {
                LOG.error("log-release-failed error={}", e.toString());
            }
        }
    }

    private Supplier<PluginHost> pluginHosts() {
        return () -> withWorkload(GroupProcessLauncher.system());
    }

    /**
     * The script plugin host behind the database quiesce of workload.conf, both launching through
     * the same launcher (journaled in a backup, so a later start reaps what a dead worker left).
     */
    private PluginHost withWorkload(ProcessLauncher launcher) {
        PluginHostSettings settings = pluginHostSettings();
        PluginHost scripts = new PluginHostLoader(paths.packageRoot()).load(settings, launcher);
        WorkloadSetup setup = new WorkloadConfReader(paths.configDir(), handlerUid(), Path.of("/etc/passwd")).read();
        return new WorkloadPluginHost(scripts, setup, settings, launcher);
    }

    /** Plugin hosts whose every script is journaled, so that a later start can kill what it left. */
    private Supplier<PluginHost> journaledPluginHosts(BackupJournal journal) {
        return () -> withWorkload(new JournaledProcessLauncher(GroupProcessLauncher.system(), reaper, journal));
    }

    /**
     * Copies of scripts that others could replace go to tmpfs, else to the handler's own state; the
     * freeze helper's read lease proves most scripts unwritten without scanning /proc.
     */
    private PluginHostSettings pluginHostSettings() {
        return PluginHostSettings.of(paths.configDir(), handlerUid(),
                List.of(paths.runDir().resolve("scripts"), paths.stateDir().resolve("script-copies")))
                .withWriterProbe(freezeHelper(paths));
    }

    private MountSource mounts() {
        return mountsToSkip -> eligibility(mountsToSkip).select(mountTable());
    }

    private MountSurvey skippedMounts() {
        return mountsToSkip -> eligibility(mountsToSkip).skipped(mountTable());
    }

    private FreezeEligibility eligibility(Set<Path> mountsToSkip) throws HandlerException {
        return new FreezeEligibility(env, mountsToSkip, new ResourceDiskLocator(SYS, DEV).devices());
    }

    private static List<Mount> mountTable() throws HandlerException {
        return new MountTable(PROC.resolve("self").resolve("mountinfo")).read();
    }

    /** The running JVM and the launcher's record say which Java runs the handler and why. */
    private EstateReport estate(Messages messages) {
        Path packageRoot = paths.packageRoot();
        EstateReport.Facts facts = new EstateReport.Facts(Machine.current().name(), packageRoot,
                Path.of(System.getProperty("java.home", "")), System.getProperty("java.version", "unknown"),
                RuntimeRecord.read(packageRoot.resolve("state").resolve("runtime")));
        return new EstateReport(facts, new PolicyEngines(SYS, PROC, Path.of("/run")),
                new FapolicydTrust(Path.of("/etc")), messages);
    }

    /** The uid this process runs as: /proc/self belongs to it. Root in production. */
    static int handlerUid() {
        try {
            return (Integer) Files.getAttribute(PROC.resolve("self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }
}

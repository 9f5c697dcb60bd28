package io.vmsnapshot;

import io.vmsnapshot.backup.BackupJob;
import io.vmsnapshot.journal.BackupJournal;
import io.vmsnapshot.report.BackupOutcome;
import io.vmsnapshot.journal.JournalRecord;
import io.vmsnapshot.backup.SnapshotBackup;
import io.vmsnapshot.agent.HandlerEnvironment;
import io.vmsnapshot.agent.HandlerEnvironmentReader;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.lifecycle.CommandTable;
import io.vmsnapshot.worker.DetachedWorkerLauncher;
import io.vmsnapshot.lifecycle.Handler;
import io.vmsnapshot.lifecycle.HandlerContext;
import io.vmsnapshot.agent.HandlerPaths;
import io.vmsnapshot.lifecycle.OperatorCommands;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.logging.LogHold;
import io.vmsnapshot.logging.LogSink;
import io.vmsnapshot.logging.Redactor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;
import java.util.Properties;

/** The only class that touches the process's world: environment, file system, clock, streams, exit. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(StartupTraining.VERB)) {
            System.exit(new StartupTraining().run(Arrays.asList(args).subList(1, args.length)));
        }
        if (args.length > 0 && DecryptionWarmUp.VERBS.contains(args[0])) {
            DecryptionWarmUp.start();
        }
        Map<String, String> env = System.getenv();
        Path packageRoot = Path.of(System.getProperty("vmsnapshot.home",
                env.getOrDefault("AZURE_GUEST_AGENT_EXTENSION_PATH", "."))).toAbsolutePath().normalize();
        int exitCode = run(Arrays.asList(args), env, packageRoot, System.out, System.err);
        System.err.flush();
        System.exit(exitCode);
    }

    /**
     * One command, wired to the given environment and package root; the process's own are what
     * {@link #main} passes, the start-up training passes a scratch sandbox's. The log goes to the
     * extension log named by that root's HandlerEnvironment.json (System.err is pointed there).
     */
    static int run(List<String> args, Map<String, String> env, Path packageRoot, PrintStream stdout, PrintStream stderr) {
        HandlerPaths paths = HandlerPaths.resolve(packageRoot, env);
        Redactor redactor = new Redactor();
        long pid = ProcessHandle.current().pid();
        String verb = args.isEmpty() ? "" : args.get(0);
        PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        LogSink sink = redirectLogToExtensionLog(paths, verb, pid, redactor);
        LogHold logHold = sink == null ? LogHold.NONE : sink;
        Supplier<List<String>> logLines = sink == null ? List::of : sink::linesOfThisProcess;
        Clock clock = Clock.systemUTC();
        String version = version();
        SystemWiring wiring = new SystemWiring(paths, env, clock);
        List<Path> thawed = wiring.recoverFreeze(logHold);
        BackupJournal journal = wiring.journal();
        journal.noteThawed(thawed);
        BackupJob backup = (request, cancellation) -> {
            journal.begin(request.sequenceNumber(), request.settings().publicSettings().taskId(),
                    request.settings().publicSettings().locale(), pid);
            BackupOutcome outcome = new SnapshotBackup(wiring.backupServices(request.environment().name(), version,
                    logHold, logLines, redactor, journal)).run(request, cancellation);
            journal.record(JournalRecord.FINISHED);
            return outcome;
        };
        HandlerContext context = new HandlerContext(paths, env, clock, out, err,
                new DetachedWorkerLauncher(paths.launcher(), paths.packageRoot()), backup, logHold, redactor,
                hook -> Runtime.getRuntime().addShutdownHook(new Thread(hook, "stop-request")), pid, version,
                wiring.recovery(journal, thawed));
        OperatorCommands operator = new OperatorCommands(wiring.pluginHosts(), wiring.mounts(),
                Messages.forLocale(operatorLocale(env)));
        return new Handler(context, CommandTable.standard(operator.check(), operator.dryRun())).run(args);
    }

    /** The operator's language: VMSNAPSHOT_LOCALE, else the shell's LANG (zh_CN.UTF-8 → zh-CN). */
    private static String operatorLocale(Map<String, String> env) {
        String value = env.getOrDefault("VMSNAPSHOT_LOCALE", env.getOrDefault("LANG", ""));
        int dot = value.indexOf('.');
        return dot >= 0 ? value.substring(0, dot) : value;
    }

    /**
     * slf4j-simple writes to System.err; pointing it at the extension log (agent's logFolder) makes
     * every line redacted and lets a freeze hold them in memory. Without a readable
     * HandlerEnvironment.json (operator commands in a sandbox, broken installs) logs stay on stderr.
     */
    private static LogSink redirectLogToExtensionLog(HandlerPaths paths, String verb, long pid, Redactor redactor) {
        try {
            HandlerEnvironment environment = new HandlerEnvironmentReader().read(paths.handlerEnvironmentFile());
            LogSink sink = new LogSink(environment.logFolder().resolve("extension.log"),
                    "pid=" + pid + " verb=" + verb + " ", redactor);
            System.setErr(new PrintStream(sink, true, StandardCharsets.UTF_8));
            return sink;
        } catch (HandlerException e) {
            return null;
        }
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }
}

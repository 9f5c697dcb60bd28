package io.vmsnapshot;

import io.vmsnapshot.agent.HandlerEnvironment;
import io.vmsnapshot.agent.HandlerEnvironmentFile;
import io.vmsnapshot.agent.HandlerEnvironmentReader;
import io.vmsnapshot.agent.HandlerPaths;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.lifecycle.Handler;
import io.vmsnapshot.logging.LogHold;
import io.vmsnapshot.logging.LogSink;
import io.vmsnapshot.logging.Redactor;
import io.vmsnapshot.process.GroupProcessLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The process's entry: resolves the paths, points the log at the extension log, takes the clock and
 * hands over to {@link SystemWiring}, which builds the commands. With SystemWiring, the only classes
 * that touch the process's world: environment, file system, clock, streams, exit.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // First of all: the benchmark's breakdown tells the JVM's start from the handler's own work by it.
        long mainAt = System.currentTimeMillis();
        if (args.length > 0 && args[0].equals(StartupTraining.VERB)) {
            System.exit(new StartupTraining().run(Arrays.asList(args).subList(1, args.length)));
        }
        if (args.length > 0) {
            SecurityWarmUp.startFor(args[0]);
        }
        Map<String, String> env = System.getenv();
        Path packageRoot = Path.of(System.getProperty("vmsnapshot.home",
                env.getOrDefault("AZURE_GUEST_AGENT_EXTENSION_PATH", "."))).toAbsolutePath().normalize();
        int exitCode = run(Arrays.asList(args), env, packageRoot, System.out, System.err, mainAt);
        System.err.flush();
        System.exit(exitCode);
    }

    /**
     * One command, wired to the given environment and package root; the process's own are what
     * {@link #main} passes, the start-up training passes a scratch sandbox's. The log goes to the
     * extension log named by that root's HandlerEnvironment.json (System.err is pointed there).
     */
    static int run(List<String> args, Map<String, String> env, Path packageRoot, PrintStream stdout, PrintStream stderr) {
        return run(args, env, packageRoot, stdout, stderr, System.currentTimeMillis());
    }

    /** @param mainAt when {@link #main} was entered (epoch milliseconds), for the log's process-start line */
    private static int run(List<String> args, Map<String, String> env, Path packageRoot, PrintStream stdout,
                           PrintStream stderr, long mainAt) {
        HandlerPaths paths = HandlerPaths.resolve(packageRoot, env);
        Redactor redactor = new Redactor();
        long pid = ProcessHandle.current().pid();
        String verb = args.isEmpty() ? "" : args.get(0);
        PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        HandlerEnvironmentFile environmentFile = new HandlerEnvironmentFile(new HandlerEnvironmentReader(),
                paths.handlerEnvironmentFile());
        Clock clock = Clock.systemUTC();
        LogSink sink = redirectLogToExtensionLog(environmentFile, verb, pid, redactor, clock);
        LogHold logHold = sink == null ? LogHold.NONE : sink;
        Supplier<List<String>> logLines = sink == null ? List::of : sink::linesOfThisProcess;
        Handler handler = new SystemWiring(paths, env, clock, environmentFile, logHold, logLines, redactor,
                out, err, pid, version()).handler();
        // Not before the wiring's thaw of what a killed freeze left frozen: the log may be on that file system.
        LoggerFactory.getLogger(Main.class).info("process-start mainAt={}", mainAt);
        return handler.run(args);
    }

    /**
     * slf4j-simple writes to System.err; pointing it at the extension log (agent's logFolder) makes
     * every line redacted and lets a freeze hold them in memory. Without a readable
     * HandlerEnvironment.json (operator commands in a sandbox, broken installs) logs stay on stderr.
     */
    private static LogSink redirectLogToExtensionLog(HandlerEnvironmentFile environmentFile, String verb, long pid,
                                                     Redactor redactor, Clock clock) {
        try {
            HandlerEnvironment environment = environmentFile.read();
            LogSink sink = new LogSink(environment.logFolder().resolve("extension.log"),
                    "pid=" + pid + " verb=" + verb + " ", redactor, clock);
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

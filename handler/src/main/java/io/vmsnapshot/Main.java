package io.vmsnapshot;

import io.vmsnapshot.backup.NotYetBuiltBackup;
import io.vmsnapshot.environment.HandlerEnvironment;
import io.vmsnapshot.environment.HandlerEnvironmentReader;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.lifecycle.CommandTable;
import io.vmsnapshot.lifecycle.DetachedWorkerLauncher;
import io.vmsnapshot.lifecycle.ExitCodes;
import io.vmsnapshot.lifecycle.Handler;
import io.vmsnapshot.lifecycle.HandlerContext;
import io.vmsnapshot.lifecycle.HandlerPaths;
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
import java.util.Map;
import java.util.Properties;

/** The only class that touches the process's world: environment, file system, clock, streams, exit. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        Path packageRoot = Path.of(System.getProperty("vmsnapshot.home",
                env.getOrDefault("AZURE_GUEST_AGENT_EXTENSION_PATH", "."))).toAbsolutePath().normalize();
        HandlerPaths paths = HandlerPaths.resolve(packageRoot, env);
        Redactor redactor = new Redactor();
        long pid = ProcessHandle.current().pid();
        String verb = args.length > 0 ? args[0] : "";
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        LogHold logHold = redirectLogToExtensionLog(paths, verb, pid, redactor);
        Clock clock = Clock.systemUTC();
        String version = version();
        HandlerContext context = new HandlerContext(paths, env, clock, out,
                new DetachedWorkerLauncher(paths.launcher(), paths.packageRoot()),
                new NotYetBuiltBackup("Microsoft.Azure.RecoveryServices.VMSnapshotLinux", clock), logHold, redactor,
                hook -> Runtime.getRuntime().addShutdownHook(new Thread(hook, "stop-request")), pid, version);
        int exitCode = new Handler(context, CommandTable.standard(
                (ctx, a) -> notYet(ctx.out()), (ctx, a) -> notYet(ctx.out()))).run(Arrays.asList(args));
        System.err.flush();
        System.exit(exitCode);
    }

    private static int notYet(PrintStream out) {
        out.println("not built yet");
        return ExitCodes.FAILURE;
    }

    /**
     * slf4j-simple writes to System.err; pointing it at the extension log (agent's logFolder) makes
     * every line redacted and lets a freeze hold them in memory. Without a readable
     * HandlerEnvironment.json (operator commands in a sandbox, broken installs) logs stay on stderr.
     */
    private static LogHold redirectLogToExtensionLog(HandlerPaths paths, String verb, long pid, Redactor redactor) {
        try {
            HandlerEnvironment environment = new HandlerEnvironmentReader().read(paths.handlerEnvironmentFile());
            LogSink sink = new LogSink(environment.logFolder().resolve("extension.log"),
                    "pid=" + pid + " verb=" + verb + " ", redactor);
            System.setErr(new PrintStream(sink, true, StandardCharsets.UTF_8));
            return sink;
        } catch (HandlerException e) {
            return LogHold.NONE;
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

package io.vmsnapshot.bench;

import io.vmsnapshot.prepost.PhaseResult;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.PluginHostFactory;
import io.vmsnapshot.prepost.PluginHostSettings;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import io.vmsnapshot.process.GroupProcessLauncher;
import io.vmsnapshot.process.LineSink;
import io.vmsnapshot.process.ProcessResult;
import io.vmsnapshot.process.ProcessSpec;
import io.vmsnapshot.testing.Sandbox;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pre/post figures for scripts/bench (not a test). Run from the handler module after
 * {@code mvn test-compile}: {@code java -cp target/classes:target/test-classes:<deps> io.vmsnapshot.bench.PrePostBench [N]}.
 * The extension log (slf4j on stderr) goes to a file in the sandbox, as in production.
 */
public final class PrePostBench {
    private static final double UPSTREAM_TRIVIAL_MS = 12_000;
    /** The freeze helper the build made for this machine (the bench runs from the handler module). */
    private static final Path WRITERS_HELPER = Path.of("target/native",
            System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch"),
            "vmsnapshot-freeze").toAbsolutePath();
    private static final String HOST_CONF = "[pre_post]\ntimeoutInSeconds: 1800\nnumberOfPlugins: 1\n"
            + "pluginName0: ScriptRunner\npluginConfigPath0: /etc/azure/VMSnapshotPluginConfig.json\n";

    private PrePostBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        PrintStream out = System.out;
        try (Sandbox box = Sandbox.create()) {
            System.setErr(new PrintStream(new FileOutputStream(box.root().resolve("extension.log").toFile()), true,
                    StandardCharsets.UTF_8));
            GroupProcessLauncher launcher = GroupProcessLauncher.system();
            Path etc = box.dir("etc");
            Path pre = box.script("s/pre.sh", "exit 0");
            Path post = box.script("s/post.sh", "exit 0");
            config(box, pre, post, "");

            out.printf("spawn sh directly (ProcessBuilder)  median %.2f ms%n", median(n, () -> spawn(false)));
            out.printf("spawn sh via setsid (ProcessBuilder) median %.2f ms%n", median(n, () -> spawn(true)));
            out.printf("launcher: one trivial script         median %.2f ms%n", median(n, () -> trivial(launcher, box)));
            long processes;
            try (var entries = Files.list(Path.of("/proc"))) {
                processes = entries.filter(entry -> entry.getFileName().toString().matches("[0-9]+")).count();
            }
            // Without and with the kernel's answer (the freeze helper's read lease), alternated.
            double[] precheck = alternated(n,
                    () -> require(host(etc, launcher, Optional.empty()).precheck().runsScripts()),
                    () -> require(host(etc, launcher, Optional.of(WRITERS_HELPER)).precheck().runsScripts()));
            out.printf("precheck of pre+post (read, /proc)   median %.2f ms (%d processes on this machine)%n",
                    precheck[0], processes);
            out.printf("precheck of pre+post (read, lease)   median %.2f ms (helper --writers, no /proc scan)%n",
                    precheck[1]);
            double[] prePost = alternated(n, () -> prePost(host(etc, launcher, Optional.empty())),
                    () -> prePost(host(etc, launcher)));
            out.printf("trivial pre+post in a running JVM    median %.2f ms (upstream 12.0 s: %.0fx faster);"
                    + " %.2f ms with the /proc scan%n", prePost[1], UPSTREAM_TRIVIAL_MS / prePost[1], prePost[0]);

            Path shared = box.dir("shared");
            Sandbox.chmod(shared, "rwxrwx---");
            config(box, box.script("shared/pre.sh", "exit 0"), box.script("shared/post.sh", "exit 0"), "");
            out.printf("trivial pre+post, each from a copy   median %.2f ms (scripts in a group-writable dir)%n",
                    median(n, () -> {
                        PluginHost host = host(etc, launcher);
                        require(host.run(ScriptPhase.PRE, context()).applicationConsistent());
                        require(host.run(ScriptPhase.POST, context()).applicationConsistent());
                    }));
            config(box, pre, post, "");

            out.printf("hung script killed after timeout     median %.1f ms after the timeout (group of sh + sleep)%n",
                    killLatency(launcher, box, 9));

            Path chatty = box.script("s/chatty.sh", "head -c 10485760 /dev/zero | tr '\\0' 'x' | fold -w 100");
            config(box, chatty, post, "");
            long start = System.nanoTime();
            PhaseResult result = host(etc, launcher).run(ScriptPhase.PRE, context());
            out.printf("10 MiB of output (104858 lines, logged) %.0f ms, outcome %s%n",
                    (System.nanoTime() - start) / 1e6, result.scripts().get(0).outcomeName());

            Path counter = box.root().resolve("runs");
            Path failing = box.script("s/failing.sh", "echo run >> " + counter + "; exit 3");
            config(box, failing, post, "\"preScriptNoOfRetries\": 2");
            result = host(etc, launcher).run(ScriptPhase.PRE, context());
            out.printf("retries 2 on a failing script        %d runs, %d attempts reported, outcome %s%n",
                    Files.readAllLines(counter).size(), result.scripts().get(0).attempts(),
                    result.scripts().get(0).outcomeName());
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Medians of two steps run in turn, so that both see the same machine. */
    private static double[] alternated(int n, Step first, Step second) throws Exception {
        List<List<Double>> millis = List.of(new ArrayList<>(), new ArrayList<>());
        List<Step> steps = List.of(first, second);
        for (int i = 0; i < n + 5; i++) {
            for (int which = 0; which < 2; which++) {
                long start = System.nanoTime();
                steps.get(which).run();
                if (i >= 5) {
                    millis.get(which).add((System.nanoTime() - start) / 1e6);
                }
            }
        }
        millis.forEach(Collections::sort);
        return new double[] {millis.get(0).get(n / 2), millis.get(1).get(n / 2)};
    }

    private static void prePost(PluginHost host) {
        require(host.run(ScriptPhase.PRE, context()).applicationConsistent());
        require(host.run(ScriptPhase.POST, context()).applicationConsistent());
    }

    private static double median(int n, Step step) throws Exception {
        for (int i = 0; i < Math.min(5, n); i++) {
            step.run();
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            step.run();
            millis.add((System.nanoTime() - start) / 1e6);
        }
        Collections.sort(millis);
        return millis.get(n / 2);
    }

    private static void spawn(boolean setsid) throws Exception {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "exit 0"));
        if (setsid) {
            argv.add(0, "/usr/bin/setsid");
        }
        require(new ProcessBuilder(argv).start().waitFor() == 0);
    }

    private static void trivial(GroupProcessLauncher launcher, Sandbox box) throws Exception {
        ProcessResult result = launcher.start(new ProcessSpec(List.of("/bin/sh", "-c", "exit 0"), box.root(),
                Map.of(), Duration.ofSeconds(10), Duration.ofSeconds(1), LineSink.DISCARD)).completion().get();
        require(result.succeeded());
    }

    /** Milliseconds from the timeout to the moment the whole group (sh and its sleep) is gone. */
    private static double killLatency(GroupProcessLauncher launcher, Sandbox box, int n) throws Exception {
        Duration timeout = Duration.ofMillis(200);
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            ProcessResult result = launcher.start(new ProcessSpec(List.of("/bin/sh", "-c", "sleep 60 & wait"),
                    box.root(), Map.of(), timeout, Duration.ofSeconds(2), LineSink.DISCARD)).completion().get();
            require(result.timedOut() && !result.leftovers());
            millis.add((System.nanoTime() - start) / 1e6 - timeout.toMillis());
        }
        Collections.sort(millis);
        return millis.get(n / 2);
    }

    private static void config(Sandbox box, Path pre, Path post, String extra) {
        box.file("etc/VMSnapshotPluginConfig.json", "{\"preScriptLocation\": \"" + pre + "\", \"postScriptLocation\": \""
                + post + "\", \"timeoutInSeconds\": 60" + (extra.isEmpty() ? "" : ", " + extra) + "}", "rw-------");
    }

    /** As in production: the kernel is asked for writers before /proc is scanned. */
    private static PluginHost host(Path etc, GroupProcessLauncher launcher) throws Exception {
        return host(etc, launcher, Optional.of(WRITERS_HELPER));
    }

    private static PluginHost host(Path etc, GroupProcessLauncher launcher, Optional<Path> writerProbe)
            throws Exception {
        PluginHostFactory factory = Class.forName(PluginHostFactory.IMPLEMENTATION)
                .asSubclass(PluginHostFactory.class).getConstructor().newInstance();
        return factory.create(new PluginHostSettings(etc, Optional.empty(), Sandbox.currentUid(),
                List.of(etc.resolveSibling("run")), writerProbe), HOST_CONF.getBytes(StandardCharsets.UTF_8), launcher);
    }

    private static ScriptContext context() {
        return new ScriptContext("bench", Map.of());
    }

    private static void require(boolean condition) {
        if (!condition) {
            throw new IllegalStateException("benchmark step did not behave as expected");
        }
    }
}

package io.vmsnapshot;

import io.vmsnapshot.prepost.PluginHostLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;

/**
 * The training runs of the AOT caches, made once at build time (the package module runs {@code
 * bin/handle.sh cds-training <scratch> lifecycle|worker} with {@code -XX:AOTCacheOutput}, JDK 25):
 * one for the lifecycle commands (the agent's), one for the worker and the operator commands that
 * run the plugin host (check, dry-run). Whatever this JVM loads and links, and the method profiles
 * it gathers, those commands later map instead of loading, parsing, verifying and linking it again.
 *
 * <p>It runs the real commands, in this process, against a sandbox it lays out the agent's way
 * in the scratch directory: install, then enable on a real request (protected settings encrypted
 * to a certificate made for this and nothing else, which enable leaves encrypted; the worker launch
 * runs a stub that exits), then status, disable and uninstall; or, for the worker's cache, check
 * and dry-run, then the worker's whole backup of such a request, encrypted here to name this run's
 * storage (the verified plugin host running a pre- and a post-script, the snapshot and the status
 * and logs uploads through the JDK's HTTP client against {@link TrainingStorage}; nothing is frozen).
 * The plugin host's classes are defined from verified bytes by their own class loader: the cache
 * holds them too, and the JVM takes them from it when the bytes it is handed are the very bytes it
 * was trained on (same size and CRC-32; other bytes are parsed as they come). Nothing outside the
 * scratch directory is touched: every path the handler would take from the world (agent dir,
 * /etc/azure, /run, the WireServer) points into it or at a closed loopback port.
 */
final class StartupTraining {
    static final String VERB = "cds-training";

    private static final String THUMBPRINT = "910671996CC403AD610B496CF31F399E96B657F1";
    private static final String NAME = "Microsoft.Azure.RecoveryServices.VMSnapshotLinux";
    /**
     * Two caches, one per kind of process, in the agent's order: the JDK 25 cache loads and links
     * every class it holds at the JVM's start, whether the command uses it or not, so each class in
     * the lifecycle commands' cache costs enable, the command the agent waits for, start-up time and
     * memory. The worker's classes there would cost each of them some 8 MiB; check's and dry-run's
     * (the verified plugin host, its config's parsing, the precheck) made it 2,573 classes and 24 MiB
     * against 2,175 and 21 MiB without them. Those two run what the worker's backup runs, so they
     * use the worker's cache and are trained with it, before the backup (whose classes they share).
     * The worker's training runs install and enable first for the request its backup takes (the
     * worker reads the settings and status files too). Update is not trained: every command wires
     * it, and beyond that it loads only the two classes that find and read the old version's
     * directory, once per version; trained, they would be loaded at every lifecycle command's start.
     */
    static final Map<String, List<List<String>>> TRAININGS = Map.of(
            "lifecycle", List.of(List.of("install"), List.of("enable"), List.of("status"), List.of("disable"),
                    List.of("uninstall")),
            "worker", List.of(List.of("install"), List.of("enable"), List.of("check"), List.of("dry-run"),
                    List.of("worker", "0")));
    /** Their exit code is the sandbox's verdict (would a backup be application consistent), not a failure. */
    private static final List<String> OPERATOR_VERDICTS = List.of("check", "dry-run");
    /** What the freeze would load, which the training cannot do here (it freezes nothing). */
    private static final List<String> FREEZE_CLASSES = List.of(
            "io.vmsnapshot.freeze.HelperFreezer", "io.vmsnapshot.freeze.HelperChannel",
            "io.vmsnapshot.freeze.FreezeSession", "io.vmsnapshot.freeze.HelperLine");

    /**
     * @param arguments the scratch directory, which must not exist yet (it is left for the build
     *                  to inspect and remove), and which training: lifecycle or worker
     * @return 0, or 2 when a command of the training failed: the build must not ship an archive
     *         trained on an error path
     */
    int run(List<String> arguments) {
        if (arguments.size() != 2 || !TRAININGS.containsKey(arguments.get(1))) {
            System.err.println("usage: handle.sh " + VERB + " <scratch dir that does not exist yet> lifecycle|worker");
            return 2;
        }
        Path scratch = Path.of(arguments.get(0)).toAbsolutePath().normalize();
        Path home = Path.of(System.getProperty("vmsnapshot.home", ".")).toAbsolutePath().normalize();
        PrintStream stderr = System.err;
        boolean worker = arguments.get(1).equals("worker");
        // Only the worker's backup talks to storage: the sockets' and addresses' classes of a storage
        // started for the lifecycle training (some 50) would be loaded at every lifecycle command's start.
        try (TrainingStorage storage = worker ? TrainingStorage.start() : null) {
            Path packageRoot = layOut(scratch, home, storage, arguments.get(1));
            Map<String, String> env = environment(scratch, packageRoot);
            PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            for (List<String> command : TRAININGS.get(arguments.get(1))) {
                asMainWould(command.get(0));
                int exitCode = Main.run(command, env, packageRoot, discard, stderr);
                System.setErr(stderr);
                if (exitCode != 0 && !OPERATOR_VERDICTS.contains(command.get(0))) {
                    stderr.println(VERB + ": '" + String.join(" ", command) + "' exited " + exitCode
                            + "; see the log under " + scratch);
                    return 2;
                }
            }
            for (String name : worker ? FREEZE_CLASSES : List.<String>of()) {
                Class.forName(name, false, StartupTraining.class.getClassLoader());
            }
            return 0;
        } catch (IOException | GeneralSecurityException | ClassNotFoundException | RuntimeException e) {
            System.setErr(stderr);
            stderr.println(VERB + ": " + e);
            return 2;
        }
    }

    /**
     * What {@link Main#main} does before it hands the command to {@link Main#run}, which the training
     * calls directly: without this, each command would load these classes from the jar and the
     * runtime image (the warm-up, the process environment's entry set that the wiring copies).
     */
    private static void asMainWould(String verb) {
        SecurityWarmUp.startFor(verb);
        Map.copyOf(System.getenv());
    }

    /**
     * @param home    the package the training runs from: its verified plugin host jar and host config
     *                are copied into the sandbox, so that the cache learns those very bytes
     * @param storage the worker's training storage; null for the lifecycle training, which has none
     */
    private static Path layOut(Path scratch, Path home, TrainingStorage storage, String training)
            throws IOException, GeneralSecurityException {
        Files.createDirectory(scratch);
        Path packageRoot = Files.createDirectories(scratch.resolve("waagent").resolve(NAME + "-training"));
        for (String dir : List.of("config", "status", "bin", "lib", "conf")) {
            Files.createDirectories(packageRoot.resolve(dir));
        }
        // The freeze helper too: the plugin host asks it (--writers) whether anyone writes the scripts.
        String helper = "bin/" + Machine.current().name() + "/vmsnapshot-freeze";
        Files.createDirectories(packageRoot.resolve(helper).getParent());
        for (String file : List.of(PluginHostLoader.JAR, PluginHostLoader.DEFAULT_HOST_CONFIG, helper)) {
            if (Files.exists(home.resolve(file))) {
                Files.copy(home.resolve(file), packageRoot.resolve(file));
            } else {
                // Only outside a package (the unit test): the backup then reports the plugin host missing,
                // or the plugin host scans /proc for writers.
                System.err.println(VERB + ": no " + file + " under " + home + "; training without it");
            }
        }
        if (Files.exists(packageRoot.resolve(helper))) {
            // The build's package dir keeps no modes; the agent adds u+x to every file it unzips.
            Files.setPosixFilePermissions(packageRoot.resolve(helper), PosixFilePermissions.fromString("rwx------"));
        }
        Path logs = Files.createDirectories(scratch.resolve("log"));
        prePostScripts(Files.createDirectories(scratch.resolve("etc-azure")));
        Path agentDir = scratch.resolve("waagent");
        copy("training.crt", agentDir.resolve(THUMBPRINT + ".crt"));
        copy("training.prv", agentDir.resolve(THUMBPRINT + ".prv"));
        // Enable leaves the protected settings encrypted, so the lifecycle commands take the built-in
        // request as it is: encrypting one here would put BouncyCastle into their cache, which loads
        // every class it holds at each start. The worker decrypts: its request names this run's storage.
        Files.write(packageRoot.resolve("config/0.settings"), training.equals("worker")
                ? TrainingRequest.of(read("0.settings"), read("training.crt"), THUMBPRINT, storage)
                        .getBytes(StandardCharsets.UTF_8)
                : read("0.settings"));
        // Enable starts "/bin/sh bin/handle.sh worker 0" in a session of its own: a stub that exits.
        Files.writeString(packageRoot.resolve("bin/handle.sh"), "exit 0\n");
        Files.writeString(packageRoot.resolve("HandlerEnvironment.json"), "[{\"name\": \"" + NAME
                + "\", \"version\": 1.0, \"handlerEnvironment\": {\"logFolder\": \"" + logs
                + "\", \"configFolder\": \"" + packageRoot.resolve("config") + "\", \"statusFolder\": \""
                + packageRoot.resolve("status") + "\", \"heartbeatFile\": \"" + packageRoot.resolve("heartbeat.log")
                + "\"}}]");
        return packageRoot;
    }

    private static Map<String, String> environment(Path scratch, Path packageRoot) {
        return Map.of(
                "AZURE_GUEST_AGENT_EXTENSION_PATH", packageRoot.toString(),
                "ConfigSequenceNumber", "0",
                "VMSNAPSHOT_AGENT_DIR", scratch.resolve("waagent").toString(),
                "VMSNAPSHOT_CONFIG_DIR", scratch.resolve("etc-azure").toString(),
                "VMSNAPSHOT_RUN_DIR", scratch.resolve("run").toString(),
                "VMSNAPSHOT_WIRESERVER_URL", "http://127.0.0.1:9",
                "VMSNAPSHOT_FREEZE_MOUNTS", "");
    }

    /** Trivial pre- and post-scripts as a customer configures them: root-only files, mode 700. */
    private static void prePostScripts(Path configDir) throws IOException {
        Path pre = configDir.resolve("pre.sh");
        Path post = configDir.resolve("post.sh");
        for (Path script : List.of(pre, post)) {
            Files.writeString(script, "#!/bin/sh\necho \"$VMSNAPSHOT_PHASE $*\"\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        }
        Path config = configDir.resolve("VMSnapshotPluginConfig.json");
        Files.writeString(config, "{\"pluginName\":\"ScriptRunner\",\"preScriptLocation\":\"" + pre
                + "\",\"postScriptLocation\":\"" + post + "\",\"preScriptParams\":[\"training\"],"
                + "\"postScriptParams\":[],\"preScriptNoOfRetries\":0,\"postScriptNoOfRetries\":0,"
                + "\"timeoutInSeconds\":30,\"continueBackupOnFailure\":true,\"fsFreezeEnabled\":true}");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    }

    private static void copy(String resource, Path target) throws IOException {
        Files.write(target, read(resource));
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = StartupTraining.class.getResourceAsStream("training/" + resource)) {
            if (in == null) {
                throw new IOException("resource training/" + resource + " is missing from the handler jar");
            }
            return in.readAllBytes();
        }
    }
}

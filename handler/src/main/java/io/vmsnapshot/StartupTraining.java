package io.vmsnapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The training run of the app class-data-sharing archive, made once at build time (the package
 * module runs {@code bin/handle.sh cds-training <scratch>} with {@code -XX:ArchiveClassesAtExit}).
 * Whatever this JVM loads, every command later maps instead of loading and linking it.
 *
 * <p>It runs the real commands, in this process, against a sandbox it lays out the agent's way
 * in the scratch directory: install, then enable on a real request (protected settings encrypted
 * to a certificate made for this and nothing else; the worker launch runs a stub that exits), then
 * status and disable. It then loads the worker's classes, whose backup it cannot run here. Nothing
 * outside the scratch directory is touched: every path the handler would take from the world
 * (agent dir, /etc/azure, /run, the WireServer) points into it or at a closed loopback port.
 */
final class StartupTraining {
    static final String VERB = "cds-training";

    private static final String THUMBPRINT = "910671996CC403AD610B496CF31F399E96B657F1";
    private static final String NAME = "Microsoft.Azure.RecoveryServices.VMSnapshotLinux";
    private static final List<String> COMMANDS = List.of("install", "enable", "status", "disable");
    private static final List<String> WORKER_CLASSES = List.of(
            "io.vmsnapshot.backup.SnapshotBackup", "io.vmsnapshot.backup.FreezeSnapshotStep",
            "io.vmsnapshot.report.OutcomeReporter", "io.vmsnapshot.report.StatusDocuments",
            "io.vmsnapshot.journal.JournaledBackupJob", "io.vmsnapshot.report.BackupTelemetry",
            "io.vmsnapshot.backup.ResultPolicy", "io.vmsnapshot.backup.SnapshotRequests",
            "io.vmsnapshot.freeze.HelperFreezer", "io.vmsnapshot.freeze.FreezeEligibility",
            "io.vmsnapshot.freeze.MountTable", "io.vmsnapshot.freeze.FreezeRecovery",
            "io.vmsnapshot.snapshot.Snapshotter", "io.vmsnapshot.snapshot.GuestSnapshotter",
            "io.vmsnapshot.snapshot.HostSnapshotter", "io.vmsnapshot.prepost.PluginHostLoader",
            "io.vmsnapshot.process.GroupProcessLauncher", "java.net.http.HttpClient");

    /**
     * @param arguments the scratch directory, which must not exist yet; it is left for the build
     *                  to inspect and remove
     * @return 0, or 2 when a command of the training failed: the build must not ship an archive
     *         trained on an error path
     */
    int run(List<String> arguments) {
        if (arguments.size() != 1) {
            System.err.println("usage: handle.sh " + VERB + " <scratch dir that does not exist yet>");
            return 2;
        }
        Path scratch = Path.of(arguments.get(0)).toAbsolutePath().normalize();
        PrintStream stderr = System.err;
        try {
            Path packageRoot = layOut(scratch);
            Map<String, String> env = environment(scratch, packageRoot);
            PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            for (String command : COMMANDS) {
                int exitCode = Main.run(List.of(command), env, packageRoot, discard, stderr);
                System.setErr(stderr);
                if (exitCode != 0) {
                    stderr.println(VERB + ": '" + command + "' exited " + exitCode + "; see the log under " + scratch);
                    return 2;
                }
            }
            for (String name : WORKER_CLASSES) {
                Class.forName(name, false, StartupTraining.class.getClassLoader());
            }
            return 0;
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            System.setErr(stderr);
            stderr.println(VERB + ": " + e);
            return 2;
        }
    }

    private static Path layOut(Path scratch) throws IOException {
        Files.createDirectory(scratch);
        Path packageRoot = Files.createDirectories(scratch.resolve("waagent").resolve(NAME + "-training"));
        for (String dir : List.of("config", "status", "bin")) {
            Files.createDirectories(packageRoot.resolve(dir));
        }
        Path logs = Files.createDirectories(scratch.resolve("log"));
        Files.createDirectories(scratch.resolve("etc-azure"));
        Path agentDir = scratch.resolve("waagent");
        copy("training.crt", agentDir.resolve(THUMBPRINT + ".crt"));
        copy("training.prv", agentDir.resolve(THUMBPRINT + ".prv"));
        copy("0.settings", packageRoot.resolve("config/0.settings"));
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

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = StartupTraining.class.getResourceAsStream("training/" + resource)) {
            if (in == null) {
                throw new IOException("resource training/" + resource + " is missing from the handler jar");
            }
            Files.copy(in, target);
        }
    }
}

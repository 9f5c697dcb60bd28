package io.vmsnapshot.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmsnapshot.agent.HandlerEnvironmentFile;
import io.vmsnapshot.agent.HandlerEnvironmentReader;
import io.vmsnapshot.agent.HandlerPaths;
import io.vmsnapshot.agent.Operation;
import io.vmsnapshot.backup.BackupRequest;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.journal.BackupRecovery;
import io.vmsnapshot.journal.InterruptedBackups;
import io.vmsnapshot.logging.LogHold;
import io.vmsnapshot.logging.Redactor;
import io.vmsnapshot.report.AgentFileAccess;
import io.vmsnapshot.report.BackupOutcome;
import io.vmsnapshot.report.BlobUploader;
import io.vmsnapshot.report.FailedTaskReporter;
import io.vmsnapshot.report.OutcomeReporter;
import io.vmsnapshot.report.ReportedBackupJob;
import io.vmsnapshot.report.TaskRegistry;
import io.vmsnapshot.seqno.SequenceNumberResolver;
import io.vmsnapshot.seqno.SequenceNumberStore;
import io.vmsnapshot.settings.SettingsReader;
import io.vmsnapshot.settings.SettingsScrubber;
import io.vmsnapshot.status.FormattedMessage;
import io.vmsnapshot.status.StatusReport;
import io.vmsnapshot.status.StatusType;
import io.vmsnapshot.worker.WorkerLauncher;
import io.vmsnapshot.worker.Workers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's layout for one handler version under a lib dir (jimfs or a real directory), with
 * hand-written seams: a worker launcher and a backup job that record their calls.
 */
final class AgentLayout {
    static final String NAME = "Microsoft.Azure.RecoveryServices.VMSnapshotLinux";
    static final String VERSION = "1.0.9300.0";
    static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    /** Never used to send anything: no test request names a blob. */
    private static final HttpClient HTTP = HttpClient.newBuilder().build();

    private final ObjectMapper json = new ObjectMapper();
    final Path lib;
    final Path base;
    final Path configFolder;
    final Path statusFolder;
    final Path logFolder;
    final Path configDir;
    final Map<String, String> env = new HashMap<>();
    final List<Integer> launched = new ArrayList<>();
    final List<BackupRequest> backups = new ArrayList<>();
    final List<Runnable> hooks = new ArrayList<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream printer = new PrintStream(out, true, StandardCharsets.UTF_8);
    final Redactor redactor = new Redactor();
    IOException launchFailure;
    /** The backup and its outcome; the layout writes the status file and the task record from it as the real job does. */
    ReportedBackupJob backupJob = (request, cancellation) -> outcome(StatusType.SUCCESS, ErrorCode.SUCCESS,
            "Enable Succeeded.");
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    AgentLayout(Path lib) {
        this(lib, VERSION);
    }

    AgentLayout(Path lib, String version) {
        this.lib = lib;
        this.base = lib.resolve(NAME + "-" + version);
        this.configFolder = base.resolve("config");
        this.statusFolder = base.resolve("status");
        this.logFolder = lib.resolveSibling("log").resolve(NAME);
        this.configDir = lib.resolveSibling("etc-azure");
        try {
            Files.createDirectories(configFolder);
            Files.createDirectories(statusFolder);
            Files.createDirectories(configDir);
            writeHandlerEnvironment();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put(HandlerPaths.CONFIG_DIR_VARIABLE, configDir.toString());
        env.put(HandlerPaths.RUN_DIR_VARIABLE, lib.resolveSibling("run").toString());
    }

    private void writeHandlerEnvironment() throws IOException {
        ObjectNode folders = json.createObjectNode();
        folders.put("logFolder", logFolder.toString());
        folders.put("configFolder", configFolder.toString());
        folders.put("statusFolder", statusFolder.toString());
        folders.put("heartbeatFile", base.resolve("heartbeat.log").toString());
        ObjectNode entry = json.createObjectNode();
        entry.put("name", NAME);
        entry.put("version", 1.0);
        entry.set("handlerEnvironment", folders);
        Files.writeString(base.resolve("HandlerEnvironment.json"), json.writeValueAsString(json.createArrayNode()
                .add(entry)));
    }

    HandlerPaths paths() {
        return HandlerPaths.resolve(base, env);
    }

    WorkerLauncher launcher() {
        return seq -> {
            if (launchFailure != null) {
                throw launchFailure;
            }
            launched.add(seq);
        };
    }

    AgentFileAccess agentFiles() {
        return new AgentFileAccess(new HandlerEnvironmentFile(new HandlerEnvironmentReader(),
                paths().handlerEnvironmentFile()), paths(), clock);
    }

    TaskRegistry tasks() {
        return new TaskRegistry(paths().taskRegistryFile());
    }

    FailedTaskReporter failedTasks() {
        return new FailedTaskReporter(tasks(), clock);
    }

    InterruptedBackups interrupted() {
        return new InterruptedBackups(BackupRecovery.NONE, failedTasks(), paths().workerLockFile(), launcher());
    }

    Workers workers() {
        return new Workers(paths().workerLockFile(), Path.of("/proc"), paths().packageRoot(),
                ProcessHandle.current().pid(), Workers.PATIENCE);
    }

    InstallCommand install() {
        return new InstallCommand(paths());
    }

    EnableCommand enable() {
        return new EnableCommand(agentFiles(), new SequenceNumberResolver(env),
                new SequenceNumberStore(paths().mostRecentSequenceFile()), new SettingsReader(paths().agentDir()),
                new SettingsScrubber(), tasks(), failedTasks(), paths().workerLockFile(), launcher(), interrupted(), env,
                clock);
    }

    DisableCommand disable() {
        return new DisableCommand(workers(), agentFiles(), tasks(), failedTasks());
    }

    UninstallCommand uninstall() {
        return new UninstallCommand(paths(), workers());
    }

    UpdateCommand update() {
        return new UpdateCommand(paths(), env, tasks(), clock);
    }

    StatusCommand status() {
        return new StatusCommand(tasks(), printer);
    }

    WorkerCommand worker() {
        return worker(WorkerCommand.LOCK_WAIT);
    }

    WorkerCommand worker(Duration lockWait) {
        ReportedBackupJob recording = (request, cancellation) -> {
            backups.add(request);
            BackupOutcome outcome = backupJob.run(request, cancellation);
            OutcomeReporter reporter = new OutcomeReporter(new BlobUploader(HTTP, redactor),
                    tasks(), List::of, "machine-1", VERSION, clock);
            reporter.writeStatusFile(request, outcome);
            reporter.rememberTask(request, outcome);
            return outcome;
        };
        return new WorkerCommand(agentFiles(), new SettingsReader(paths().agentDir()), new SettingsScrubber(),
                failedTasks(), interrupted(), recording, paths().workerLockFile(), hooks::add, LogHold.NONE, redactor,
                4242, printer, lockWait);
    }

    /** Every verb's command, the operator's two as given. */
    Map<Operation, Command> commands(Command check, Command dryRun) {
        Map<Operation, Command> commands = new EnumMap<>(Operation.class);
        commands.put(Operation.INSTALL, install());
        commands.put(Operation.ENABLE, enable());
        commands.put(Operation.DISABLE, disable());
        commands.put(Operation.UNINSTALL, uninstall());
        commands.put(Operation.UPDATE, update());
        commands.put(Operation.WORKER, worker());
        commands.put(Operation.CHECK, check);
        commands.put(Operation.DRY_RUN, dryRun);
        commands.put(Operation.STATUS, status());
        return commands;
    }

    Handler handler(Command check) {
        return new Handler(CommandTable.standard(commands(check, arguments -> 0)), agentFiles(), env, redactor,
                printer, printer, VERSION);
    }

    int run(Command command, String... arguments) throws Exception {
        return command.run(List.of(arguments));
    }

    int handle(String... arguments) {
        return handler(a -> 0).run(List.of(arguments));
    }

    String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    BackupOutcome outcome(StatusType status, ErrorCode code, String message) {
        return new BackupOutcome(status, code, message, new StatusReport(NAME, "Enable", status, code.code(),
                FormattedMessage.english(message), List.of(), NOW));
    }

    /** Public settings as the service sends them; {@code objectStr} is built from {@code objectJson}. */
    static ObjectNode publicSettings(String command, String taskId) {
        ObjectNode settings = new ObjectMapper().createObjectNode();
        settings.put("commandToExecute", command);
        settings.put("taskId", taskId);
        settings.put("locale", "en-US");
        settings.put("vmType", "microsoft.compute/virtualmachines");
        settings.put("objectStr", Base64.getEncoder().encodeToString(
                "{\"backupMetadata\":[{\"Key\":\"b\",\"Value\":\"1\"}],\"includedDisks\":{\"dataDiskLunList\":[0],\"isOSDiskIncluded\":true}}"
                        .getBytes(StandardCharsets.US_ASCII)));
        return settings;
    }

    /** Writes {@code config/<seq>.settings}; protected settings (if any) encrypted to the test certificate. */
    Path settings(int seq, ObjectNode publicSettings, String protectedJson) throws IOException {
        ObjectNode handlerSettings = json.createObjectNode();
        handlerSettings.set("publicSettings", publicSettings);
        if (protectedJson != null) {
            TestCertificate.get().install(lib);
            handlerSettings.put("protectedSettings", TestCertificate.get().encrypt(protectedJson));
            handlerSettings.put("protectedSettingsCertThumbprint", TestCertificate.THUMBPRINT);
        }
        ObjectNode root = json.createObjectNode();
        ArrayNode runtime = root.putArray("runtimeSettings");
        runtime.addObject().set("handlerSettings", handlerSettings);
        return settingsText(seq, json.writeValueAsString(root));
    }

    Path settingsText(int seq, String text) throws IOException {
        Path file = configFolder.resolve(seq + ".settings");
        Files.writeString(file, text);
        return file;
    }

    static String protectedWithBlobs(String token) {
        String object = Base64.getEncoder().encodeToString(
                "{\"blobSASUri\":[\"https://a.blob.core.windows.net/v/os.vhd?sv=1&sig=s3cr3t\"]}".getBytes(
                        StandardCharsets.US_ASCII));
        return "{\"objectStr\":\"" + object + "\",\"snapshotTaskToken\":\"" + token + "\"}";
    }

    JsonNode status(int seq) throws IOException {
        return json.readTree(Files.readAllBytes(statusFolder.resolve(seq + ".status"))).get(0).get("status");
    }

    boolean hasStatus(int seq) {
        return Files.exists(statusFolder.resolve(seq + ".status"));
    }

    JsonNode heartbeat() throws IOException {
        return json.readTree(Files.readAllBytes(base.resolve("heartbeat.log"))).get(0).get("heartbeat");
    }

    /** Every file and folder below root with its content, sorted: equal lists mean an untouched tree. */
    static List<String> tree(Path root) throws IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            return paths.map(p -> {
                try {
                    return root.relativize(p) + (Files.isRegularFile(p) ? "=" + Files.readString(p) : "/");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    /** The customer's own files in the config dir, which no lifecycle command may touch. */
    void customerConfig() throws IOException {
        Files.writeString(configDir.resolve("VMSnapshotPluginConfig.json"), "{\"pluginName\":\"ScriptRunner\"}");
        Files.writeString(configDir.resolve("vmbackup.conf"), "[SnapshotThread]\ntimeout = 30\n");
    }
}

package io.vmsnapshot.e2e.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Drives a built extension zip the way the Linux guest agent does (docs/agent-contract.md), inside a
 * sandbox directory: lib dir {@code L} (0700) with the tenant certificate, the agent-style unzip into
 * {@code L/<Name>-<Version>/}, HandlerEnvironment.json, {@code config/<seq>.settings} with encrypted
 * protected settings, each command through {@code /bin/sh -c} in a new session with the agent's
 * environment and timeouts, and the lifecycle sequences of §7 and §8 with their exit codes.
 *
 * <p>The daemon environment is minimal (systemd's PATH) plus sandbox overrides that keep a handler
 * away from the real machine: {@code VMSNAPSHOT_AGENT_DIR} = L, {@code VMSNAPSHOT_CONFIG_DIR} = a
 * sandbox dir, {@code VMSNAPSHOT_WIRESERVER_URL} = a closed loopback port, {@code VMSNAPSHOT_FREEZE_MOUNTS}
 * = "" (freeze nothing), {@code VMSNAPSHOT_RUN_DIR} = a sandbox dir (the freeze record).
 * {@link Options#withEnvironment} changes or adds any of them; as with the agent, the daemon
 * environment wins over the variables the agent sets per command.
 */
public final class AgentSimulator {
    public static final String HANDLER_NAME = "Microsoft.Azure.RecoveryServices.VMSnapshotLinux";
    /** The agent's marker for "that command did not run". */
    public static final String NOT_RUN = "NOT_RUN";
    private static final String SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final String SUPPORTED_FEATURES = "[{\"Key\": \"ExtensionTelemetryPipeline\", \"Value\": \"1.0\"}]";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The five commands, with the agent's timeouts (contract §5). */
    public enum Operation {
        INSTALL("install", "installCommand", Duration.ofSeconds(900)),
        ENABLE("enable", "enableCommand", Duration.ofSeconds(300)),
        DISABLE("disable", "disableCommand", Duration.ofSeconds(900)),
        UNINSTALL("uninstall", "uninstallCommand", Duration.ofSeconds(300)),
        UPDATE("update", "updateCommand", Duration.ofSeconds(900));

        private final String verb;
        private final String manifestKey;
        private final Duration agentTimeout;

        Operation(String verb, String manifestKey, Duration agentTimeout) {
            this.verb = verb;
            this.manifestKey = manifestKey;
            this.agentTimeout = agentTimeout;
        }

        public String verb() {
            return verb;
        }

        public String manifestKey() {
            return manifestKey;
        }

        public Duration agentTimeout() {
            return agentTimeout;
        }
    }

    /** {@code config/HandlerState} (contract §7). */
    public enum HandlerState {
        NOT_INSTALLED("NotInstalled"), INSTALLED("Installed"), ENABLED("Enabled"), FAILED_UPGRADE("FailedUpgrade");

        private final String fileText;

        HandlerState(String fileText) {
            this.fileText = fileText;
        }
    }

    /**
     * @param environment added to (and overriding) the daemon environment; "" is a value, not a removal
     * @param timeouts per-command timeouts, default the agent's
     */
    public record Options(Map<String, String> environment, Map<Operation, Duration> timeouts,
                          ProtectedSettingsEncryptor.Engine engine, ProtectedSettingsCipher cipher,
                          CommandWrapper commandWrapper) {
        public Options {
            environment = Map.copyOf(environment);
            timeouts = Map.copyOf(timeouts);
            Objects.requireNonNull(engine, "engine");
            Objects.requireNonNull(cipher, "cipher");
            Objects.requireNonNull(commandWrapper, "commandWrapper");
        }

        public static Options defaults() {
            Map<Operation, Duration> timeouts = new LinkedHashMap<>();
            for (Operation operation : Operation.values()) {
                timeouts.put(operation, operation.agentTimeout());
            }
            return new Options(Map.of(), timeouts, ProtectedSettingsEncryptor.Engine.BOUNCY_CASTLE,
                    ProtectedSettingsCipher.DES_EDE3_CBC, CommandWrapper.NONE);
        }

        public Options withEnvironment(String name, String value) {
            Map<String, String> changed = new LinkedHashMap<>(environment);
            changed.put(name, value);
            return new Options(changed, timeouts, engine, cipher, commandWrapper);
        }

        public Options withTimeout(Operation operation, Duration timeout) {
            Map<Operation, Duration> changed = new LinkedHashMap<>(timeouts);
            changed.put(operation, timeout);
            return new Options(environment, changed, engine, cipher, commandWrapper);
        }

        public Options withEncryption(ProtectedSettingsEncryptor.Engine engine, ProtectedSettingsCipher cipher) {
            return new Options(environment, timeouts, engine, cipher, commandWrapper);
        }

        /** Runs every command through {@code wrapper} (e.g. inside another system's root). */
        public Options withCommandWrapper(CommandWrapper wrapper) {
            return new Options(environment, timeouts, engine, cipher, wrapper);
        }
    }

    /** The handler version the agent considers installed. */
    private record Installed(String version, Path zip, HandlerState state) {
    }

    private final Path sandbox;
    private final Path libDir;
    private final Path logRoot;
    private final Options options;
    private final TenantCertificate certificate;
    private final AgentCommandRunner runner;
    private final ProtectedSettingsEncryptor encryptor;
    private Installed installed;
    private int sequenceNumber;
    private Settings lastSettings;

    public AgentSimulator(Path sandbox, Options options) throws IOException {
        this.sandbox = sandbox.toAbsolutePath();
        this.options = Objects.requireNonNull(options, "options");
        this.libDir = this.sandbox.resolve("waagent");
        this.logRoot = this.sandbox.resolve("log-azure");
        Files.createDirectories(libDir);
        Files.setPosixFilePermissions(libDir, PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(logRoot);
        Files.createDirectories(configOverrideDir());
        Path work = Files.createDirectories(this.sandbox.resolve("agent-work"));
        this.runner = new AgentCommandRunner(work, options.commandWrapper());
        this.encryptor = new ProtectedSettingsEncryptor(options.engine(), options.cipher(), work);
        this.certificate = TenantCertificate.generate("e2e-tenant");
        certificate.writeTo(libDir);
    }

    public static AgentSimulator inSandbox(Path sandbox) throws IOException {
        return new AgentSimulator(sandbox, Options.defaults());
    }

    /** The zip {@code mvn package} built (system property {@code vmsnapshot.zip}, set by the tests pom). */
    public static Path builtZip() {
        Path zip = Path.of(Objects.requireNonNull(System.getProperty("vmsnapshot.zip"), "system property vmsnapshot.zip"));
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException(zip + " does not exist: the end-to-end tests drive the built package,"
                    + " run them with 'mvn package' or 'mvn verify' (not 'mvn test') from the repository root");
        }
        return zip;
    }

    /** The project version (system property {@code vmsnapshot.version}). */
    public static String builtVersion() {
        return Objects.requireNonNull(System.getProperty("vmsnapshot.version"), "system property vmsnapshot.version");
    }

    public Path libDir() {
        return libDir;
    }

    public TenantCertificate certificate() {
        return certificate;
    }

    /** {@code VMSNAPSHOT_CONFIG_DIR} of the sandbox: where a test puts VMSnapshotPluginConfig.json. */
    public Path configOverrideDir() {
        return sandbox.resolve("etc-azure");
    }

    /** {@code VMSNAPSHOT_RUN_DIR} of the sandbox: where the freeze record lives. */
    public Path runDir() {
        return sandbox.resolve("run");
    }

    /** {@code Extension.LogDir/<Name>}: shared by all versions, never removed by the agent. */
    public Path handlerLogDir() {
        return logRoot.resolve(HANDLER_NAME);
    }

    public Path baseDir(String version) {
        return libDir.resolve(HANDLER_NAME + "-" + version);
    }

    public Path baseDir() {
        return baseDir(version());
    }

    public String version() {
        return installedOrThrow().version();
    }

    public HandlerState state() {
        return installed == null ? HandlerState.NOT_INSTALLED : installed.state();
    }

    public int sequenceNumber() {
        return sequenceNumber;
    }

    public Path configDir() {
        return baseDir().resolve("config");
    }

    public Path statusFile(int seq) {
        return baseDir().resolve("status").resolve(seq + ".status");
    }

    public Path heartbeatFile() {
        return baseDir().resolve("heartbeat.log");
    }

    /** The status the agent would upload for this seq, checked against its rules (throws AssertionError if it would not). */
    public AgentStatus status(int seq) throws IOException {
        return StatusFileRules.checkStatus(statusFile(seq));
    }

    public Optional<AgentStatus> statusIfPresent(int seq) throws IOException {
        return Files.exists(statusFile(seq)) ? Optional.of(status(seq)) : Optional.empty();
    }

    /** {@code heartbeat.status} as the agent would report it, checked against its rules. */
    public String heartbeat() throws IOException {
        return StatusFileRules.checkHeartbeat(heartbeatFile(), java.time.Instant.now());
    }

    // ---- what the agent does before running commands (§1, §2, §4)

    /** Download and {@code initialize}: the zip beside the base dir, unzipped the agent's way, dirs, HandlerEnvironment.json. */
    public Path download(Path zip, String version) throws IOException {
        Path baseDir = baseDir(version);
        Files.copy(zip, libDir.resolve(HANDLER_NAME + "__" + version + ".zip"), StandardCopyOption.REPLACE_EXISTING);
        AgentUnzip.extract(zip, baseDir);
        copyFirstHandlerManifestToBaseDir(baseDir);
        createPrivateDirectory(baseDir.resolve("config"));
        createPrivateDirectory(baseDir.resolve("status"));
        Files.createDirectories(handlerLogDir());
        createPrivateDirectory(handlerLogDir().resolve("events"));
        Files.writeString(baseDir.resolve("HandlerEnvironment.json"), handlerEnvironment(baseDir), StandardCharsets.UTF_8);
        if (state() == HandlerState.NOT_INSTALLED) {
            // Nothing installed yet: this download is the version commands and status refer to.
            installed = new Installed(version, zip, HandlerState.NOT_INSTALLED);
        }
        return baseDir;
    }

    /** Exactly the agent's {@code create_handler_env} output (contract §2). */
    public String handlerEnvironment(Path baseDir) {
        ObjectNode environment = JSON.createObjectNode();
        environment.put("logFolder", handlerLogDir().toString());
        environment.put("configFolder", baseDir.resolve("config").toString());
        environment.put("statusFolder", baseDir.resolve("status").toString());
        environment.put("heartbeatFile", baseDir.resolve("heartbeat.log").toString());
        environment.put("eventsFolder", handlerLogDir().resolve("events").toString());
        environment.put("eventsFolder_preview", handlerLogDir().resolve("events").toString());
        ArrayNode root = JSON.createArrayNode();
        ObjectNode handler = root.addObject();
        handler.put("name", HANDLER_NAME);
        handler.put("version", 1.0);
        handler.set("handlerEnvironment", environment);
        return PythonJson.dumps(root);
    }

    /** {@code config/<seq>.settings} as the agent writes it, protected settings encrypted to the tenant certificate. */
    public void writeSettings(String version, int seq, Settings settings) throws IOException {
        ObjectNode handlerSettings = JSON.createObjectNode();
        handlerSettings.set("publicSettings", settings.publicSettings());
        if (settings.rawProtectedSettings().isPresent()) {
            handlerSettings.put("protectedSettings", settings.rawProtectedSettings().get());
            handlerSettings.put("protectedSettingsCertThumbprint", certificate.thumbprint());
        } else if (settings.protectedSettings() != null) {
            TenantCertificate recipient = settings.encryptTo().orElse(certificate);
            handlerSettings.put("protectedSettings", encryptor.encrypt(settings.protectedSettings().toString(), recipient));
            handlerSettings.put("protectedSettingsCertThumbprint", certificate.thumbprint());
        } else {
            handlerSettings.putNull("protectedSettings");
            handlerSettings.putNull("protectedSettingsCertThumbprint");
        }
        ObjectNode file = JSON.createObjectNode();
        file.putArray("runtimeSettings").addObject().set("handlerSettings", handlerSettings);
        writeRawSettings(version, seq, PythonJson.dumps(file));
        sequenceNumber = seq;
        lastSettings = settings;
    }

    /** Any text as {@code config/<seq>.settings} (bad-input tests); "" is what the agent writes for a handler without settings. */
    public void writeRawSettings(String version, int seq, String content) throws IOException {
        Files.writeString(baseDir(version).resolve("config").resolve(seq + ".settings"), content, StandardCharsets.UTF_8);
        sequenceNumber = seq;
    }

    // ---- commands

    /** Runs one command of the installed version with the current sequence number. */
    public CommandResult run(Operation operation) throws IOException {
        return run(operation, version(), Map.of());
    }

    /** Runs one command of the given version's manifest with per-command agent variables (e.g. update's). */
    public CommandResult run(Operation operation, String version, Map<String, String> commandVariables) throws IOException {
        return run(operation, version, commandVariables, options.timeouts().get(operation));
    }

    /** As {@link #run(Operation, String, Map)}, killed by the agent after {@code timeout} (fault tests). */
    public CommandResult run(Operation operation, String version, Map<String, String> commandVariables,
                             Duration timeout) throws IOException {
        Path baseDir = baseDir(version);
        HandlerManifest manifest = HandlerManifest.read(baseDir.resolve("HandlerManifest.json"));
        return runner.run(operation, version, baseDir, manifest.command(operation),
                commandEnvironment(version, commandVariables), timeout);
    }

    /**
     * The environment a command of this version gets from the agent, daemon overrides included:
     * what a test uses to run {@code bin/handle.sh} verbs the agent never runs (status, check).
     */
    public Map<String, String> commandEnvironment(String version, Map<String, String> commandVariables) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AZURE_GUEST_AGENT_EXTENSION_PATH", baseDir(version).toString());
        environment.put("AZURE_GUEST_AGENT_EXTENSION_VERSION", version);
        environment.put("AZURE_GUEST_AGENT_WIRE_PROTOCOL_ADDRESS", "127.0.0.1");
        environment.put("ConfigSequenceNumber", Integer.toString(sequenceNumber));
        environment.put("AZURE_GUEST_AGENT_EXTENSION_SUPPORTED_FEATURES", SUPPORTED_FEATURES);
        environment.putAll(commandVariables);
        environment.putAll(daemonEnvironment());
        return environment;
    }

    private Map<String, String> daemonEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", SYSTEMD_PATH);
        environment.put("VMSNAPSHOT_AGENT_DIR", libDir.toString());
        environment.put("VMSNAPSHOT_CONFIG_DIR", configOverrideDir().toString());
        environment.put("VMSNAPSHOT_WIRESERVER_URL", "http://127.0.0.1:9");
        environment.put("VMSNAPSHOT_FREEZE_MOUNTS", "");
        // The freeze record of this sandbox only: a shared /run/vmsnapshot would let one test's
        // recovery thaw (or refuse to thaw) another test's freeze.
        environment.put("VMSNAPSHOT_RUN_DIR", runDir().toString());
        environment.putAll(options.environment());
        return environment;
    }

    // ---- lifecycle sequences (§7, §8)

    /** First install of the built package with settings seq 0: download, install, enable. */
    public LifecycleResult installAndEnable(Settings settings) throws IOException {
        return installAndEnable(builtZip(), builtVersion(), 0, settings);
    }

    public LifecycleResult installAndEnable(Path zip, String version, int seq, Settings settings) throws IOException {
        if (state() != HandlerState.NOT_INSTALLED) {
            throw new IllegalStateException("already installed: " + installed.version() + "; use update or enable");
        }
        download(zip, version);
        writeSettings(version, seq, settings);
        List<CommandResult> commands = new ArrayList<>();
        CommandResult install = run(Operation.INSTALL, version, Map.of("AZURE_GUEST_AGENT_UNINSTALL_CMD_EXIT_CODE", NOT_RUN));
        commands.add(install);
        if (!install.succeeded()) {
            // The agent leaves NotInstalled and downloads again on the next goal state.
            setState(version, zip, HandlerState.NOT_INSTALLED);
            return new LifecycleResult(commands, true);
        }
        setState(version, zip, HandlerState.INSTALLED);
        commands.add(enableInstalled(NOT_RUN));
        return new LifecycleResult(commands, false);
    }

    /** A goal state with (new or repeated) settings for the installed version: settings file, then enable. */
    public CommandResult enable(int seq, Settings settings) throws IOException {
        writeSettings(version(), seq, settings);
        return enableInstalled(NOT_RUN);
    }

    /** Requested state "disabled": runs disable only if the handler is Enabled. */
    public Optional<CommandResult> disable() throws IOException {
        if (state() != HandlerState.ENABLED) {
            return Optional.empty();
        }
        CommandResult disable = run(Operation.DISABLE);
        if (disable.succeeded()) {
            setState(version(), installed.zip(), HandlerState.INSTALLED);
        }
        return Optional.of(disable);
    }

    /** Requested state "uninstall": disable if Enabled, uninstall (errors only logged), then delete the base dir and zip. */
    public LifecycleResult uninstall() throws IOException {
        List<CommandResult> commands = new ArrayList<>();
        disable().ifPresent(commands::add);
        commands.add(run(Operation.UNINSTALL));
        String version = version();
        removeHandlerFiles(version);
        installed = null;
        return new LifecycleResult(commands, false);
    }

    /** Update to a package derived from the installed one with the version's last component plus one. */
    public LifecycleResult update() throws IOException {
        String next = PackageVersions.next(version());
        Path zip = PackageVersions.withVersion(installed.zip(), next, sandbox.resolve("vmsnapshot-linux-" + next + ".zip"));
        return update(zip, next, sequenceNumber, lastSettings);
    }

    /** The agent's update sequence (contract §8) from the installed version to {@code newVersion}. */
    public LifecycleResult update(Path newZip, String newVersion, int seq, Settings settings) throws IOException {
        Installed old = installedOrThrow();
        if (old.state() == HandlerState.NOT_INSTALLED) {
            throw new IllegalStateException("nothing installed to update from; use installAndEnable");
        }
        Path newBase = download(newZip, newVersion);
        writeSettings(newVersion, seq, settings);
        HandlerManifest newManifest = HandlerManifest.read(newBase.resolve("HandlerManifest.json"));
        List<CommandResult> commands = new ArrayList<>();

        // The agent reads this variable with .get() and gets None when disable never ran (contract §6 quirk).
        String disableExitCode = "None";
        if (old.state() == HandlerState.ENABLED) {
            CommandResult disable = run(Operation.DISABLE, old.version(), Map.of());
            commands.add(disable);
            disableExitCode = Integer.toString(disable.exitCode());
            if (!disable.succeeded() && !newManifest.continueOnUpdateFailure()) {
                return failedUpdate(newVersion, newZip, commands);
            }
        }
        copyStatusFiles(baseDir(old.version()), newBase);
        CommandResult update = run(Operation.UPDATE, newVersion, Map.of(
                "VERSION", newVersion,
                "AZURE_GUEST_AGENT_UPDATING_FROM_VERSION", old.version(),
                "AZURE_GUEST_AGENT_DISABLE_CMD_EXIT_CODE", disableExitCode));
        commands.add(update);
        if (!update.succeeded()) {
            return failedUpdate(newVersion, newZip, commands);
        }
        CommandResult uninstall = run(Operation.UNINSTALL, old.version(), Map.of());
        commands.add(uninstall);
        if (!uninstall.succeeded() && !newManifest.continueOnUpdateFailure()) {
            return failedUpdate(newVersion, newZip, commands);
        }
        String uninstallExitCode = Integer.toString(uninstall.exitCode());
        removeHandlerFiles(old.version());
        installed = new Installed(newVersion, newZip, HandlerState.INSTALLED);
        if (newManifest.updateWithInstall()) {
            CommandResult install = run(Operation.INSTALL, newVersion,
                    Map.of("AZURE_GUEST_AGENT_UNINSTALL_CMD_EXIT_CODE", uninstallExitCode));
            commands.add(install);
        }
        setState(newVersion, newZip, HandlerState.INSTALLED);
        commands.add(enableInstalled(uninstallExitCode));
        return new LifecycleResult(commands, false);
    }

    private LifecycleResult failedUpdate(String newVersion, Path newZip, List<CommandResult> commands) throws IOException {
        // The new version is marked FailedUpgrade; the old one stays where it is.
        Files.writeString(baseDir(newVersion).resolve("config").resolve("HandlerState"),
                HandlerState.FAILED_UPGRADE.fileText, StandardCharsets.UTF_8);
        return new LifecycleResult(commands, true);
    }

    private CommandResult enableInstalled(String uninstallExitCode) throws IOException {
        CommandResult enable = run(Operation.ENABLE, version(),
                Map.of("AZURE_GUEST_AGENT_UNINSTALL_CMD_EXIT_CODE", uninstallExitCode));
        if (enable.succeeded()) {
            setState(version(), installed.zip(), HandlerState.ENABLED);
        }
        return enable;
    }

    private void setState(String version, Path zip, HandlerState state) throws IOException {
        installed = new Installed(version, zip, state);
        Path config = baseDir(version).resolve("config");
        Files.writeString(config.resolve("HandlerState"), state.fileText, StandardCharsets.UTF_8);
        ObjectNode status = JSON.createObjectNode();
        status.put("name", HANDLER_NAME);
        status.put("version", version);
        status.put("status", state == HandlerState.ENABLED ? "Ready" : "NotReady");
        status.put("code", 0);
        status.put("message", state == HandlerState.ENABLED ? "Plugin enabled" : "Plugin installed but not enabled");
        status.put("supports_multi_config", false);
        Files.writeString(config.resolve("HandlerStatus"), PythonJson.dumps(status), StandardCharsets.UTF_8);
    }

    private Installed installedOrThrow() {
        if (installed == null) {
            throw new IllegalStateException("no handler version is downloaded");
        }
        return installed;
    }

    // ---- file operations of the agent

    /** {@code copy_status_files}: old {@code mrseq} and every file in old {@code status/}, mtimes kept (shutil.copy2). */
    private static void copyStatusFiles(Path oldBase, Path newBase) throws IOException {
        Path mrseq = oldBase.resolve("mrseq");
        if (Files.isRegularFile(mrseq)) {
            Files.copy(mrseq, newBase.resolve("mrseq"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
        try (DirectoryStream<Path> statusFiles = Files.newDirectoryStream(oldBase.resolve("status"), Files::isRegularFile)) {
            for (Path file : statusFiles) {
                Files.copy(file, newBase.resolve("status").resolve(file.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private void removeHandlerFiles(String version) throws IOException {
        deleteTree(baseDir(version));
        Files.deleteIfExists(libDir.resolve(HANDLER_NAME + "__" + version + ".zip"));
    }

    private static void copyFirstHandlerManifestToBaseDir(Path baseDir) throws IOException {
        Path target = baseDir.resolve("HandlerManifest.json");
        if (Files.exists(target)) {
            return;
        }
        try (Stream<Path> files = Files.walk(baseDir)) {
            Path found = files.filter(path -> path.getFileName().toString().equals("HandlerManifest.json"))
                    .findFirst().orElseThrow(() -> new IOException(baseDir + ": the package has no HandlerManifest.json"));
            Files.copy(found, target);
        }
    }

    private static void createPrivateDirectory(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}

package io.vmsnapshot.e2e.backup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.agent.HandlerPaths;
import io.vmsnapshot.e2e.fixtures.RootOnlyDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One backup test's world around the package: a {@link RootOnlyDir} work dir (the plugin host
 * refuses scripts wherever a non-root user could swap them, such as anywhere below /tmp), the
 * customer's config dir ({@code VMSNAPSHOT_CONFIG_DIR}) with a plugin config (600) and pre/post scripts (700) that write down what they were told, and the agent simulator,
 * whose sandbox may be elsewhere (on a mount that the backup freezes).
 */
final class BackupSandbox implements AutoCloseable {
    static final Duration BACKUP_DONE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RootOnlyDir workDir;
    private final Path configDir;
    private final Path scriptLog;

    private BackupSandbox(RootOnlyDir workDir) {
        this.workDir = workDir;
        this.configDir = workDir.resolve("etc-azure");
        this.scriptLog = workDir.resolve("scripts.log");
    }

    static BackupSandbox create(String name) throws IOException {
        RootOnlyDir workDir = RootOnlyDir.create(name);
        try {
            BackupSandbox sandbox = new BackupSandbox(workDir);
            Files.createDirectories(sandbox.configDir);
            Files.setPosixFilePermissions(sandbox.configDir, PosixFilePermissions.fromString("rwx------"));
            return sandbox;
        } catch (IOException | RuntimeException e) {
            workDir.close();
            throw e;
        }
    }

    /** Deletes the work dir (each holds an unpacked package of some 60 MB). */
    @Override
    public void close() {
        workDir.close();
    }

    Path workDir() {
        return workDir.path();
    }

    Path configDir() {
        return configDir;
    }

    /** Simulator options pointing the handler at this config dir, with the given extra environment. */
    AgentSimulator.Options options(Map<String, String> environment) {
        AgentSimulator.Options options = AgentSimulator.Options.defaults()
                .withEnvironment(HandlerPaths.CONFIG_DIR_VARIABLE, configDir.toString());
        for (Map.Entry<String, String> e : environment.entrySet()) {
            options = options.withEnvironment(e.getKey(), e.getValue());
        }
        return options;
    }

    /**
     * A plugin config with a pre-script and a post-script; the post-script writes the
     * {@code VMSNAPSHOT_SNAPSHOT_OUTCOME} it was given. Both take no time.
     */
    void prePostScripts() throws IOException {
        Path pre = script("pre.sh", "#!/bin/sh\necho \"pre $*\" >> " + scriptLog + "\n");
        Path post = script("post.sh", "#!/bin/sh\necho \"post $VMSNAPSHOT_SNAPSHOT_OUTCOME\" >> " + scriptLog + "\n");
        Path config = configDir.resolve("VMSnapshotPluginConfig.json");
        Files.writeString(config, "{\"pluginName\":\"ScriptRunner\",\"preScriptLocation\":\"" + pre
                + "\",\"postScriptLocation\":\"" + post + "\",\"preScriptParams\":[\"e2e\"],\"postScriptParams\":[],"
                + "\"preScriptNoOfRetries\":0,\"postScriptNoOfRetries\":0,\"timeoutInSeconds\":30,"
                + "\"continueBackupOnFailure\":true,\"fsFreezeEnabled\":true}");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    }

    /** {@code vmbackup.conf}, section {@code [SnapshotThread]}, e.g. {@code timeout = 10}. */
    void vmBackupConf(String... lines) throws IOException {
        Files.writeString(configDir.resolve("vmbackup.conf"), "[SnapshotThread]\n" + String.join("\n", lines) + "\n");
    }

    private Path script(String name, String text) throws IOException {
        Path script = configDir.resolve(name);
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /**
     * What the scripts wrote for the backups themselves, one line per run, in order. A backup killed
     * by an earlier test of the same class is recovered by the next worker first — its owed
     * post-script runs with the outcome "interrupted" (the backup journal; ProcessFaultTest's
     * subject) — and those runs are left out here.
     */
    List<String> scriptRuns() throws IOException {
        List<String> runs = Files.exists(scriptLog) ? Files.readAllLines(scriptLog) : List.of();
        return runs.stream().filter(run -> !run.equals("post interrupted")).toList();
    }

    void clearScriptRuns() throws IOException {
        Files.deleteIfExists(scriptLog);
    }

    // ---- the running handler

    /** The status of seq once terminal, checked against the agent's rules at every read. */
    static AgentStatus awaitTerminal(AgentSimulator agent, int seq) throws IOException, InterruptedException {
        return io.vmsnapshot.e2e.Await.terminalStatus(agent, seq, BACKUP_DONE);
    }

    /** The blob document the file status carries as its one substatus's name (docs/backup-flow.md §3.2). */
    static JsonNode carriedBlobDocument(AgentStatus status) throws IOException {
        assertTrue(status.substatus().size() == 1, "one substatus: " + status);
        return JSON.readTree(status.substatus().get(0).name());
    }

    /** Pids of live processes whose command line holds all of {@code parts}. */
    static List<Long> processes(String... parts) throws IOException {
        return io.vmsnapshot.e2e.Await.processes(parts);
    }

    /** The backup worker of this base dir: the launcher's shell or the JVM it exec'd (-Dvmsnapshot.home=<base dir>). */
    static List<Long> workers(Path baseDir) throws IOException {
        return io.vmsnapshot.e2e.Await.workers(baseDir);
    }

    /** The freeze helper started from this base dir's package. */
    static List<Long> freezeHelpers(Path baseDir) throws IOException {
        return processes(baseDir.resolve("bin").resolve("x86_64").resolve("vmsnapshot-freeze").toString());
    }

    static void kill9(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Waits until no worker of this base dir is left (a backup ended or was killed). */
    static void awaitNoWorker(Path baseDir, Duration timeout) throws IOException, InterruptedException {
        List<Long> left = io.vmsnapshot.e2e.Await.noWorkers(baseDir, timeout);
        if (!left.isEmpty()) {
            throw new AssertionError("worker still running after " + timeout + ": " + left);
        }
    }

    /** Output of a {@code bin/handle.sh} verb the agent never runs, run with the agent's environment. */
    record Launched(int exitCode, String stdout, String stderr, Duration elapsed) {
    }

    static Launched launch(AgentSimulator agent, Duration timeout, String... arguments)
            throws IOException, InterruptedException {
        return launch(agent, Map.of(), timeout, arguments);
    }

    /** The same, with variables the agent's service environment would add (a proxy, say). */
    static Launched launch(AgentSimulator agent, Map<String, String> variables, Duration timeout, String... arguments)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", agent.baseDir().resolve("bin/handle.sh").toString()));
        argv.addAll(List.of(arguments));
        // Not in the agent's sandbox: that may be on a frozen mount, where creating a file blocks.
        Path out = Files.createTempFile("launch", ".out");
        Path err = Files.createTempFile("launch", ".err");
        ProcessBuilder builder = new ProcessBuilder(argv).directory(agent.baseDir().toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(agent.commandEnvironment(agent.version(), variables));
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("handle.sh " + String.join(" ", arguments) + " did not end within " + timeout);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        try {
            return new Launched(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), elapsed);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    // ---- secrets

    /** Fails if any file under the roots, or any of the texts, holds one of the secrets. */
    static void assertNoSecret(Collection<String> secrets, Collection<Path> roots, Collection<String> texts)
            throws IOException {
        for (String text : texts) {
            for (String secret : secrets) {
                assertFalse(text.contains(secret), "a SAS signature leaked into an uploaded document");
            }
        }
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    if (Files.size(file) > 4 * 1024 * 1024) {
                        continue; // the runtime and jars: not written by the handler
                    }
                    String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    for (String secret : secrets) {
                        assertFalse(text.contains(secret), "a SAS signature leaked into " + file);
                    }
                }
            }
        }
    }
}

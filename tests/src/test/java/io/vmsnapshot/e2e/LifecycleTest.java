package io.vmsnapshot.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentSimulator.Operation;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.agent.LifecycleResult;
import io.vmsnapshot.e2e.agent.PythonExtensionPackage;
import io.vmsnapshot.e2e.agent.Settings;
import io.vmsnapshot.e2e.agent.SettingsBuilder;
import io.vmsnapshot.e2e.fixtures.RootOnlyDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built package through the agent's lifecycle: install, enable, disable, uninstall, update.
 * Backups here have no disks and freeze nothing (the simulator's sandbox defaults); a slow pre-script
 * keeps a worker busy where a test needs one in flight.
 */
class LifecycleTest {
    private static final Duration BACKUP_DONE = Duration.ofSeconds(60);

    /** Not a {@code @TempDir}: below /tmp the plugin host refuses the pre-scripts these tests stage. */
    private RootOnlyDir sandboxDir;
    private Path sandbox;
    private AgentSimulator agent;

    @BeforeEach
    void setUp() throws IOException {
        sandboxDir = RootOnlyDir.create("lifecycle");
        sandbox = sandboxDir.path();
        agent = AgentSimulator.inSandbox(sandbox);
    }

    /** Runs also after a set-up that failed half way: no worker and no sandbox left for the next test. */
    @AfterEach
    void letTheWorkersFinish_thenRemoveTheSandbox() throws Exception {
        try {
            if (agent != null) {
                Await.noWorkers(agent.baseDir(), Duration.ofSeconds(30));
            }
        } catch (IllegalStateException uninstalled) {
            // no package left, so no worker either
        } finally {
            if (sandboxDir != null) {
                sandboxDir.close();
            }
        }
    }

    @Test
    void install_isIdempotent_andNeverTouchesTheConfigDir() throws IOException {
        String version = AgentSimulator.builtVersion();
        agent.download(AgentSimulator.builtZip(), version);
        agent.writeSettings(version, 0, SettingsBuilder.snapshot().build());
        Map<String, String> before = snapshot(agent.configDir());

        CommandResult first = agent.run(Operation.INSTALL);
        CommandResult second = agent.run(Operation.INSTALL);

        assertEquals(0, first.exitCode(), first.toString());
        assertEquals(0, second.exitCode(), second.toString());
        assertEquals(before, snapshot(agent.configDir()));
    }

    /** Issue 16: extension.log stays bounded; the full one becomes generation 1, whole. */
    @Test
    void aFullExtensionLog_becomesGenerationOne_beforeTheNextCommandsLines() throws IOException {
        String version = AgentSimulator.builtVersion();
        agent.download(AgentSimulator.builtZip(), version);
        Path log = agent.handlerLogDir().resolve("extension.log");
        Files.createDirectories(log.getParent());
        byte[] full = ("an older line of the extension log " + "x".repeat(29) + "\n").repeat(10 * 1024 * 1024 / 64)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(log, full);

        CommandResult install = agent.run(Operation.INSTALL);

        assertEquals(0, install.exitCode(), install.toString());
        assertArrayEquals(full, Files.readAllBytes(log.resolveSibling("extension.log.1")));
        String fresh = Files.readString(log);
        assertTrue(fresh.contains("install-done") && !fresh.contains("an older line"), fresh);
        assertFalse(Files.exists(log.resolveSibling("extension.log.2")));
    }

    /**
     * The pre-script waits for a gate file that the test creates only after enable returned: enable
     * returning at all proves it handed the backup off (no timed bound that a slow JVM start breaks).
     */
    @Test
    void enable_writesTransitioningStatus_andExitsFast_whileTheWorkerRuns() throws Exception {
        Path gate = sandbox.resolve("gate");
        Path preEnded = sandbox.resolve("pre-ended");
        preScript("i=0\nwhile [ ! -e " + gate + " ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i + 1)); done\ntouch " + preEnded);

        LifecycleResult result = agent.installAndEnable(SettingsBuilder.snapshot().build());

        assertTrue(result.allSucceeded(), result.toString());
        assertFalse(Files.exists(preEnded), "enable returned while the pre-script still waited for the gate");
        assertEquals("transitioning", agent.status(0).status());
        Files.createFile(gate);
        Await.terminalStatus(agent, 0, BACKUP_DONE);
        assertTrue(Files.exists(preEnded), "the pre-script ran to its end");
    }

    @Test
    void enable_withTheSameSequenceNumberAgain_isANoOp() throws Exception {
        Settings settings = SettingsBuilder.snapshot().build();
        agent.installAndEnable(settings);
        Await.terminalStatus(agent, 0, BACKUP_DONE);
        // The first worker writes its heartbeat and exits after its status: a worker seen below is a second one.
        assertEquals(List.of(), Await.noWorkers(agent.baseDir(), BACKUP_DONE), "the first backup's worker ended");
        byte[] status = Files.readAllBytes(agent.statusFile(0));

        CommandResult again = agent.enable(0, settings);

        assertEquals(0, again.exitCode(), again.toString());
        Thread.sleep(1000);
        assertArrayEquals(status, Files.readAllBytes(agent.statusFile(0)), "status untouched");
        assertEquals(0, Await.workers(agent.baseDir()).size(), "no second backup");
    }

    @Test
    void enable_withARepeatedTaskId_reportsTheEarlierOutcomeOrAlreadyProcessed() throws Exception {
        Settings settings = SettingsBuilder.snapshot().taskId("repeated-task").build();
        agent.installAndEnable(settings);
        AgentStatus first = Await.terminalStatus(agent, 0, BACKUP_DONE);

        CommandResult enable = agent.enable(1, SettingsBuilder.snapshot().taskId("repeated-task").build());

        assertEquals(0, enable.exitCode(), enable.toString());
        AgentStatus second = Await.terminalStatus(agent, 1, BACKUP_DONE);
        assertTrue(second.code() == 3 || second.code() == first.code(), "earlier outcome or code 3: " + second);
    }

    @Test
    void disable_stopsAnInFlightWorker() throws Exception {
        slowPreScript(Duration.ofSeconds(60));
        agent.installAndEnable(SettingsBuilder.snapshot().build());
        assertFalse(Await.workers(agent.baseDir()).isEmpty(), "a worker is running the pre-script");

        CommandResult disable = agent.disable().orElseThrow();

        assertEquals(0, disable.exitCode(), disable.toString());
        // Not the pre-script's 60 s: disable stopped the worker; the rest is room for a loaded machine.
        assertTrue(disable.elapsed().compareTo(Duration.ofSeconds(45)) < 0, disable.toString());
        assertEquals(0, Await.workers(agent.baseDir()).size(), "worker stopped");
        assertTrue(agent.status(0).isTerminal(), "the interrupted backup says so: " + agent.status(0));
    }

    @Test
    void uninstall_removesTheHandlersState_andLeavesTheCustomersConfigUntouched() throws Exception {
        slowPreScript(Duration.ofMillis(10));
        agent.installAndEnable(SettingsBuilder.snapshot().build());
        Await.terminalStatus(agent, 0, BACKUP_DONE);
        Path base = agent.baseDir();
        Map<String, String> customerConfig = snapshot(agent.configOverrideDir());

        CommandResult uninstall = agent.run(Operation.UNINSTALL);

        assertEquals(0, uninstall.exitCode(), uninstall.toString());
        assertFalse(Files.exists(base.resolve("mrseq")), "sequence state removed");
        assertEquals(customerConfig, snapshot(agent.configOverrideDir()));
        LifecycleResult rest = agent.uninstall();
        assertTrue(rest.allSucceeded(), rest.toString());
        assertFalse(Files.exists(base));
    }

    @Test
    void update_toTheNextVersion_keepsMrseqAndProcessedTaskIds() throws Exception {
        Settings settings = SettingsBuilder.snapshot().taskId("before-update").build();
        agent.installAndEnable(settings);
        AgentStatus before = Await.terminalStatus(agent, 0, BACKUP_DONE);
        String oldVersion = agent.version();

        LifecycleResult update = agent.update();

        assertTrue(update.allSucceeded(), update.toString());
        assertEquals("disable " + oldVersion + "=0, update " + agent.version() + "=0, uninstall " + oldVersion
                + "=0, install " + agent.version() + "=0, enable " + agent.version() + "=0", update.exitCodes());
        assertTrue(Files.exists(agent.baseDir().resolve("mrseq")), "mrseq carried over by the agent and kept");
        assertEquals(before.code(), agent.status(0).code(), "same seq on the new version: not run again");
        CommandResult repeated = agent.enable(1, SettingsBuilder.snapshot().taskId("before-update").build());
        assertEquals(0, repeated.exitCode(), repeated.toString());
        AgentStatus after = Await.terminalStatus(agent, 1, BACKUP_DONE);
        assertTrue(after.code() == 3 || after.code() == before.code(), "processed task ids survive the update: " + after);
    }

    /**
     * On a real VM the agent updates from the Python extension's version directory: its mrseq and
     * status files (renamed older ones and a leftover temp file among them) are copied into ours,
     * its task identity stays beside us until its uninstall. The first enable after the update must
     * neither run its last sequence number again nor skip the next one, and its last task repeated
     * under a new sequence number is "already processed", not a second snapshot.
     */
    @Test
    void update_fromThePythonExtension_neitherRedoesNorSkipsASequenceNumber() throws Exception {
        Path upstreamZip = PythonExtensionPackage.write(sandbox.resolve("upstream.zip"));
        Settings lastBackup = SettingsBuilder.snapshot().taskId("task-of-python").build();
        agent.installAndEnable(upstreamZip, PythonExtensionPackage.VERSION, 4, SettingsBuilder.snapshot()
                .taskId("earlier-task").build());
        CommandResult upstreamEnable = agent.enable(5, lastBackup);
        assertEquals(0, upstreamEnable.exitCode(), upstreamEnable.toString());
        Path upstreamDir = agent.baseDir(PythonExtensionPackage.VERSION);
        assertEquals("5", Files.readString(upstreamDir.resolve("mrseq")), "the stand-in left upstream's state");
        assertTrue(Files.exists(upstreamDir.resolve("status/4_status")), "upstream renamed its older status");

        LifecycleResult update = agent.update(AgentSimulator.builtZip(), AgentSimulator.builtVersion(), 5, lastBackup);

        assertTrue(update.allSucceeded(), update.toString());
        assertEquals("disable " + PythonExtensionPackage.VERSION + "=0, update " + agent.version() + "=0, uninstall "
                + PythonExtensionPackage.VERSION + "=0, install "
                + agent.version() + "=0, enable " + agent.version() + "=0", update.exitCodes());
        assertEquals(PythonExtensionPackage.FINAL_MESSAGE, agent.status(5).message(),
                "sequence number 5 is the Python extension's, not run again: " + agent.status(5));
        assertEquals(List.of(), Await.workers(agent.baseDir()), "no backup started for sequence number 5");

        CommandResult repeated = agent.enable(6, lastBackup);
        assertEquals(0, repeated.exitCode(), repeated.toString());
        AgentStatus repeatedStatus = Await.terminalStatus(agent, 6, BACKUP_DONE);
        assertEquals(3, repeatedStatus.code(), "its last task is already processed: " + repeatedStatus);
        assertTrue(repeatedStatus.message().contains("(" + PythonExtensionPackage.VERSION + ") ran task task-of-python"),
                repeatedStatus.toString());

        CommandResult next = agent.enable(7, SettingsBuilder.snapshot().taskId("first-own-task").build());
        assertEquals(0, next.exitCode(), next.toString());
        AgentStatus nextStatus = Await.terminalStatus(agent, 7, BACKUP_DONE);
        assertTrue(nextStatus.code() != 3, "the next sequence number is a backup of ours: " + nextStatus);
        assertEquals("7", Files.readString(agent.baseDir().resolve("mrseq")));
        assertTrue(Files.exists(agent.baseDir().resolve("status/4_status")), "its leftovers are left alone");
    }

    /** A plugin config under the sandbox's VMSNAPSHOT_CONFIG_DIR whose pre-script sleeps. */
    private void slowPreScript(Duration sleep) throws IOException {
        preScript("sleep " + sleep.toMillis() / 1000.0);
    }

    /** A plugin config under the sandbox's VMSNAPSHOT_CONFIG_DIR whose pre-script runs {@code body}. */
    private void preScript(String body) throws IOException {
        Path dir = agent.configOverrideDir();
        Path script = dir.resolve("pre.sh");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path post = dir.resolve("post.sh");
        Files.writeString(post, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(post, PosixFilePermissions.fromString("rwx------"));
        Path config = dir.resolve("VMSnapshotPluginConfig.json");
        Files.writeString(config, "{\"pluginName\":\"ScriptRunner\",\"preScriptLocation\":\"" + script
                + "\",\"postScriptLocation\":\"" + post + "\",\"preScriptParams\":[],\"postScriptParams\":[],"
                + "\"preScriptNoOfRetries\":0,\"postScriptNoOfRetries\":0,\"timeoutInSeconds\":120,"
                + "\"continueBackupOnFailure\":true,\"fsFreezeEnabled\":false}");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    }

    /** name -> size:mtime:mode of every file under dir, to tell "untouched". */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                files.put(dir.relativize(path).toString(), Files.isDirectory(path) ? "dir"
                        : Files.size(path) + ":" + Files.getLastModifiedTime(path).toMillis() + ":"
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            }
        }
        return files;
    }
}

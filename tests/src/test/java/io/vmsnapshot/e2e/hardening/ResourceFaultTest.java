package io.vmsnapshot.e2e.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.agent.SettingsBuilder;
import io.vmsnapshot.e2e.agent.StatusFileRules;
import io.vmsnapshot.e2e.fixtures.RootOnlyDir;
import io.vmsnapshot.e2e.storage.FaultProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Resource faults around a real backup through the agent simulator (issue 7 §3): the status, log
 * and config file systems full or read-only (small tmpfs mounts of the test's own over those
 * directories); storage and WireServer endpoints that are slow, reset, answer 500/503/429 or are
 * down, with every wait bounded by the backup's snapshot budget; and the clock around the
 * 140-minute "too late" limit. Nothing is frozen here (VMSNAPSHOT_FREEZE_MOUNTS is empty).
 */
class ResourceFaultTest {
    /** vmbackup.conf timeout 10 s: the freeze window, of which the snapshot may use 10 - 5 s. */
    private static final Duration SNAPSHOT_BUDGET = Duration.ofSeconds(5);
    /**
     * JVM starts (install, enable, worker), status: what a backup costs besides the snapshot budget,
     * on a loaded machine too. Budget plus overhead stays well under the proxy's 60 s delay, which a
     * wait not bounded by the budget would sit out.
     */
    private static final Duration OVERHEAD = Duration.ofSeconds(25);
    private static final Duration BACKUP_DONE = Duration.ofSeconds(90);
    /** HostSnapshotter.DEFAULT_TIMEOUT: one WireServer call. */
    private static final Duration HOST_CALL_TIMEOUT = Duration.ofSeconds(40);
    private static final Predicate<FaultProxy.Request> SNAPSHOTS = FaultProxy.Request::isSnapshot;

    private RootOnlyDir sandboxDir;
    private Path sandbox;
    private AgentSimulator agent;
    private FakeStorage storage;
    private FaultProxy proxy;

    @BeforeEach
    void setUp() throws IOException {
        sandboxDir = RootOnlyDir.create("resources", RootOnlyDir.Access.READABLE_BY_ALL);
        sandbox = sandboxDir.path();
        agent = new AgentSimulator(sandbox, AgentSimulator.Options.defaults()
                .withEnvironment("VMSNAPSHOT_RUN_DIR", sandbox.resolve("run").toString()));
        Files.writeString(agent.configOverrideDir().resolve("vmbackup.conf"), "[SnapshotThread]\ntimeout = 10\n");
        storage = new FakeStorage();
        proxy = FaultProxy.start(storage.base());
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (proxy != null) {
                proxy.close();
            }
            if (storage != null) {
                storage.close();
            }
            if (agent != null && agent.state() != AgentSimulator.HandlerState.NOT_INSTALLED) {
                Backups.noWorkers(agent.baseDir(), BACKUP_DONE);
            }
        } finally {
            if (sandboxDir != null) {
                sandboxDir.close();
            }
        }
    }

    private String disk(String name) {
        return proxy.via(storage.base() + "/vhds/" + name + "?sv=2021-08-06&sr=b&sp=rw&sig=S3cr3t%3D");
    }

    private SettingsBuilder oneDisk() {
        return SettingsBuilder.snapshot().blobSasUris(List.of(disk("os.vhd"))).includedDisks(List.of(), true);
    }

    /** Installs and enables seq 0; returns its terminal status and how long after enable it came. */
    private Timed firstBackup(SettingsBuilder settings) throws Exception {
        Instant start = Instant.now();
        agent.installAndEnable(settings.build());
        AgentStatus status = Backups.terminalStatus(agent, 0, BACKUP_DONE);
        return new Timed(status, Duration.between(start, Instant.now()));
    }

    /**
     * @param status  the file document the agent reads; its code is the backup's code
     * @param elapsed from enable to the terminal status
     */
    private record Timed(AgentStatus status, Duration elapsed) {
        /** The backup's verdict as the service reads it: the blob document inside the substatus. */
        String verdict() {
            return Backups.blobStatus(status);
        }
    }

    // ---- storage and WireServer faults: every wait inside the budget

    @Test
    void storageAlways503_backupFailsWithinTheBudget() throws Exception {
        proxy.always(SNAPSHOTS, FaultProxy.serverBusy());

        assertFailedWithinBudget(firstBackup(oneDisk()));
        assertTrue(proxy.requests().stream().filter(FaultProxy.Request::isSnapshot).count() > 1, "503 is retried");
    }

    @Test
    void storageAlways500_backupFailsWithinTheBudget() throws Exception {
        proxy.always(SNAPSHOTS, FaultProxy.respond(500, "<Error><Code>InternalError</Code></Error>"));

        assertFailedWithinBudget(firstBackup(oneDisk()));
    }

    @Test
    void storageThrottlingAlways429_backupFailsWithTheRateCodeWithinTheBudget() throws Exception {
        proxy.always(SNAPSHOTS, FaultProxy.tooManyRequests());

        Timed result = firstBackup(oneDisk());

        assertFailedWithinBudget(result);
        assertEquals(173, result.status().code(), result.status().toString());
    }

    @Test
    void storageResettingEveryConnection_backupFailsWithinTheBudget() throws Exception {
        proxy.always(SNAPSHOTS, FaultProxy.reset());

        assertFailedWithinBudget(firstBackup(oneDisk()));
    }

    @Test
    void storageSlowerThanTheBudget_backupFailsAtTheBudgetNotAtTheStorage() throws Exception {
        proxy.always(SNAPSHOTS, FaultProxy.delay(Duration.ofSeconds(60)));

        assertFailedWithinBudget(firstBackup(oneDisk()));
    }

    @Test
    void storageDown_backupFailsWithinTheBudget() throws Exception {
        String closed = "http://127.0.0.1:" + closedPort() + "/vhds/os.vhd?sv=1&sig=S3cr3t%3D";

        assertFailedWithinBudget(firstBackup(SettingsBuilder.snapshot().blobSasUris(List.of(closed))
                .includedDisks(List.of(), true)));
    }

    @Test
    void storageTransientFaults_areRetriedAndTheBackupSucceeds() throws Exception {
        proxy.next(SNAPSHOTS, FaultProxy.serverBusy(), FaultProxy.reset(), FaultProxy.tooManyRequests());

        Timed result = firstBackup(oneDisk());

        assertEquals("success", result.verdict(), result.status().toString());
        assertEquals(1, storage.snapshots(), "the fourth try reached storage");
    }

    /**
     * The WireServer accepts the connection and never answers: PreSnapshot, which runs before the
     * freeze, waits out its own call timeout (40 s, as upstream), then the guest path takes the
     * snapshot within the budget. Nothing is frozen while it waits.
     */
    @Test
    void wireServerHanging_backupEndsWithinTheBudget() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            agent = new AgentSimulator(sandbox.resolve("hanging"), AgentSimulator.Options.defaults()
                    .withEnvironment("VMSNAPSHOT_RUN_DIR", sandbox.resolve("run").toString())
                    .withEnvironment("VMSNAPSHOT_WIRESERVER_URL", "http://127.0.0.1:" + silent.getLocalPort()));
            Files.writeString(agent.configOverrideDir().resolve("vmbackup.conf"), "[SnapshotThread]\ntimeout = 10\n");

            Timed result = firstBackup(oneDisk());

            assertEquals("success", result.verdict(), result.status().toString());
            assertTrue(result.elapsed().compareTo(HOST_CALL_TIMEOUT.plus(SNAPSHOT_BUDGET).plus(OVERHEAD)) < 0,
                    "took " + result.elapsed());
        }
    }

    private static void assertFailedWithinBudget(Timed result) {
        assertEquals("error", result.verdict(), result.status().toString());
        assertNotEquals(0, result.status().code());
        assertTrue(result.elapsed().compareTo(SNAPSHOT_BUDGET.plus(OVERHEAD)) < 0,
                "every wait is bounded by the budget: took " + result.elapsed());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    // ---- clock skew around the 140-minute limit

    @Test
    void commandSent139MinutesAgo_isStillTaken() throws Exception {
        Timed result = firstBackup(oneDisk().commandStartTime(Instant.now().minus(Duration.ofMinutes(139))));

        assertEquals("success", result.verdict(), result.status().toString());
    }

    @Test
    void commandSent141MinutesAgo_isTooLateAndNothingIsSnapshotted() throws Exception {
        Timed result = firstBackup(oneDisk().commandStartTime(Instant.now().minus(Duration.ofMinutes(141))));

        assertEquals("error", result.verdict(), result.status().toString());
        assertEquals(402, result.status().code(), result.status().toString());
        assertEquals(0, storage.snapshots());
    }

    @Test
    void commandStartInTheFuture_clockBehindTheService_isTaken() throws Exception {
        Timed result = firstBackup(oneDisk().commandStartTime(Instant.now().plus(Duration.ofHours(6))));

        assertEquals("success", result.verdict(), result.status().toString());
    }

    // ---- file systems full or read-only

    /** Enable cannot write its status: it fails the command (the agent reports it), loses nothing written before. */
    @Test
    void statusFileSystemFull_enableFailsCleanly_earlierStatusesStayValid_andTheNextBackupRecovers() throws Exception {
        firstBackup(oneDisk());
        Backups.noWorkers(agent.baseDir(), BACKUP_DONE);
        Path statusDir = agent.baseDir().resolve("status");
        byte[] earlier = Files.readAllBytes(agent.statusFile(0));
        try (Tmpfs tmpfs = Tmpfs.over(statusDir, 64)) {
            Files.write(agent.statusFile(0), earlier);
            tmpfs.fill();

            CommandResult enable = agent.enable(1, oneDisk().build());

            assertNotEquals(0, enable.exitCode(), enable.toString());
            assertTrue(enable.stderr().contains("No space left on device"), enable.toString());
            StatusFileRules.checkStatus(agent.statusFile(0));
            assertEquals(List.of("0.status"), names(statusDir), "no torn or temporary status file");

            tmpfs.free();
            agent.enable(2, oneDisk().build());
            assertEquals("success", Backups.blobStatus(Backups.terminalStatus(agent, 2, BACKUP_DONE)));
        }
    }

    @Test
    void logFileSystemFull_backupStillSucceedsAndReports() throws Exception {
        agent.download(AgentSimulator.builtZip(), AgentSimulator.builtVersion());
        try (Tmpfs tmpfs = Tmpfs.over(agent.handlerLogDir(), 64)) {
            tmpfs.fill();
            agent.writeSettings(agent.version(), 0, oneDisk().build());
            assertEquals(0, agent.run(AgentSimulator.Operation.INSTALL).exitCode());
            CommandResult enable = agent.run(AgentSimulator.Operation.ENABLE);

            assertEquals(0, enable.exitCode(), enable.toString());
            assertEquals("success", Backups.blobStatus(Backups.terminalStatus(agent, 0, BACKUP_DONE)));
            Backups.noWorkers(agent.baseDir(), BACKUP_DONE);
        }
    }

    /** The customer's config dir (/etc/azure) mounted read-only: it is only ever read. */
    @Test
    void customerConfigDirReadOnly_backupRunsTheScriptsAsUsual() throws Exception {
        Path etc = agent.configOverrideDir();
        try (Tmpfs tmpfs = Tmpfs.over(etc, 256)) {
            Path marker = sandbox.resolve("pre-ran");
            PackageSandbox.file(etc.resolve("pre.sh"), "#!/bin/sh\ntouch " + marker + "\n", "rwx------");
            PackageSandbox.file(etc.resolve("post.sh"), "#!/bin/sh\nexit 0\n", "rwx------");
            PackageSandbox.file(etc.resolve("VMSnapshotPluginConfig.json"), "{\"pluginName\":\"ScriptRunner\","
                    + "\"preScriptLocation\":\"" + etc.resolve("pre.sh") + "\",\"postScriptLocation\":\""
                    + etc.resolve("post.sh") + "\",\"timeoutInSeconds\":30}", "rw-------");
            Files.writeString(etc.resolve("vmbackup.conf"), "[SnapshotThread]\ntimeout = 10\n");
            tmpfs.readOnly(true);

            AgentStatus status = firstBackup(oneDisk()).status();

            assertEquals("success", Backups.blobStatus(status), status.toString());
            assertEquals(0, status.code(), "application consistent: " + status);
            assertTrue(Files.exists(marker));
            Backups.noWorkers(agent.baseDir(), BACKUP_DONE);
        }
    }

    /** The agent's config folder (settings files) read-only: the protected settings cannot be scrubbed, the backup still runs. */
    @Test
    void agentConfigFolderReadOnly_backupStillRuns() throws Exception {
        agent.download(AgentSimulator.builtZip(), AgentSimulator.builtVersion());
        agent.writeSettings(agent.version(), 0, oneDisk().build());
        Path config = agent.configDir();
        byte[] settings = Files.readAllBytes(config.resolve("0.settings"));
        try (Tmpfs tmpfs = Tmpfs.over(config, 256)) {
            Files.write(config.resolve("0.settings"), settings);
            tmpfs.readOnly(true);
            assertEquals(0, agent.run(AgentSimulator.Operation.INSTALL).exitCode());

            CommandResult enable = agent.run(AgentSimulator.Operation.ENABLE);

            assertEquals(0, enable.exitCode(), enable.toString());
            assertEquals("success", Backups.blobStatus(Backups.terminalStatus(agent, 0, BACKUP_DONE)));
            Backups.noWorkers(agent.baseDir(), BACKUP_DONE);
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".filler")).sorted().toList();
        }
    }
}

package io.vmsnapshot.e2e.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.agent.SettingsBuilder;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import io.vmsnapshot.e2e.fixtures.RootOnlyDir;
import io.vmsnapshot.e2e.fixtures.WriteProbe;
import io.vmsnapshot.e2e.storage.FaultProxy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Process faults (issue 7 §2) through the agent simulator: the worker killed with SIGKILL in each
 * phase (pre, frozen, snapshot, post) — the next enable kills the scripts the dead worker left
 * running, thaws what is frozen, runs the post-script
 * that did not run (from the backup journal) and reports the interrupted backup under its own
 * sequence number; the agent killing enable at its limit; disable during a backup; two enables at
 * once; a "reboot" (everything killed, /run emptied, the same sequence number enabled again).
 */
class ProcessFaultTest {
    private static final Duration BACKUP_DONE = Duration.ofSeconds(60);
    private static final int BACKUP_INTERRUPTED = 23;

    private RootOnlyDir sandboxDir;
    private Path sandbox;
    private Path runDir;
    private Path events;
    private FakeStorage storage;
    private FaultProxy proxy;
    private AgentSimulator agent;
    private final List<AutoCloseable> cleanUp = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        sandboxDir = RootOnlyDir.create("process", RootOnlyDir.Access.READABLE_BY_ALL);
        sandbox = sandboxDir.path();
        runDir = sandbox.resolve("run");
        events = sandbox.resolve("events.log");
        storage = new FakeStorage();
        proxy = FaultProxy.start(storage.base());
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (sandbox != null) {
                Processes.kill(sandbox, "96.5");
            }
            if (agent != null && agent.state() != AgentSimulator.HandlerState.NOT_INSTALLED) {
                Backups.noWorkers(agent.baseDir(), BACKUP_DONE);
            }
            for (AutoCloseable resource : cleanUp) {
                resource.close();
            }
            if (proxy != null) {
                proxy.close();
            }
            if (storage != null) {
                storage.close();
            }
        } finally {
            if (sandboxDir != null) {
                sandboxDir.close();
            }
        }
    }

    /** The simulated agent, with its own run dir, and scripts that log what they do to {@code events}. */
    private void agent(String freezeMounts, String preBody, String postBody, int snapshotBudgetSeconds)
            throws IOException {
        agent = new AgentSimulator(sandbox.resolve("agent"), AgentSimulator.Options.defaults()
                .withEnvironment("VMSNAPSHOT_RUN_DIR", runDir.toString())
                .withEnvironment("VMSNAPSHOT_FREEZE_MOUNTS", freezeMounts));
        Path etc = agent.configOverrideDir();
        Path pre = PackageSandbox.file(etc.resolve("pre.sh"), "#!/bin/sh\necho \"pre $VMSNAPSHOT_TASK_ID\" >> " + events
                + "\n" + preBody + "\n", "rwx------");
        Path post = PackageSandbox.file(etc.resolve("post.sh"), "#!/bin/sh\necho \"post $VMSNAPSHOT_TASK_ID "
                + "$VMSNAPSHOT_SNAPSHOT_OUTCOME\" >> " + events + "\n" + postBody + "\n", "rwx------");
        PackageSandbox.file(etc.resolve("VMSnapshotPluginConfig.json"), "{\"pluginName\":\"ScriptRunner\","
                + "\"preScriptLocation\":\"" + pre + "\",\"postScriptLocation\":\"" + post + "\","
                + "\"timeoutInSeconds\":120,\"continueBackupOnFailure\":true,\"fsFreezeEnabled\":true}", "rw-------");
        Files.writeString(etc.resolve("vmbackup.conf"), "[SnapshotThread]\ntimeout = " + (snapshotBudgetSeconds + 5) + "\n");
    }

    private SettingsBuilder request(String taskId) {
        return SettingsBuilder.snapshot().taskId(taskId).includedDisks(List.of(), true).blobSasUris(List.of(
                proxy.via(storage.base() + "/vhds/os.vhd?sv=2021-08-06&sr=b&sp=rw&sig=S3cr3t%3D")));
    }

    private List<String> events() throws IOException {
        return Files.exists(events) ? Files.readAllLines(events, StandardCharsets.UTF_8) : List.of();
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** A script of this test is in its {@code sleep 96.5}. */
    private boolean scriptSleeps() {
        try {
            return !Processes.withArgument(sandbox, "96.5").isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private boolean eventSeen(String line) {
        try {
            return events().contains(line);
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL to the one worker of the package (found by its command line, as an operator would). */
    private long killWorker() throws Exception {
        List<Long> workers = Backups.awaitWorkers(agent.baseDir(), 1, Duration.ofSeconds(10));
        assertEquals(1, workers.size(), "one worker: " + workers);
        ProcessHandle worker = ProcessHandle.of(workers.get(0)).orElseThrow();
        worker.destroyForcibly();
        worker.onExit().get();
        return workers.get(0);
    }

    /**
     * Both dead at once, as at a power cut: the worker is stopped first, because the helper thaws by
     * itself the moment its parent dies, which is the safety this test goes around.
     */
    private void killWorkerAndFreezeHelper() throws Exception {
        List<Long> workers = Backups.awaitWorkers(agent.baseDir(), 1, Duration.ofSeconds(10));
        assertEquals(1, workers.size(), "one worker: " + workers);
        io.vmsnapshot.e2e.fixtures.Command.check(10, "kill", "-STOP", workers.get(0).toString());
        ProcessHandle worker = ProcessHandle.of(workers.get(0)).orElseThrow();
        List<ProcessHandle> helpers = worker.children().filter(child -> child.info().command()
                .map(command -> command.endsWith("/vmsnapshot-freeze")).orElse(false)).toList();
        assertEquals(1, helpers.size(), "the worker's freeze helper");
        // No wait for the helper: a child of a stopped parent stays a zombie until the parent dies.
        helpers.get(0).destroyForcibly();
        awaitGone(helpers.get(0).pid());
        worker.destroyForcibly();
        worker.onExit().get();
    }

    /** Until /proc says the process is dead or a zombie (it holds no freeze any more). */
    private static void awaitGone(long pid) throws Exception {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        await("process " + pid + " to die", Duration.ofSeconds(10), () -> {
            try {
                String text = Files.readString(stat, StandardCharsets.ISO_8859_1);
                return text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
            } catch (IOException gone) {
                return true;
            }
        });
    }

    /** The next goal state: a new request, whose enable must first finish the interrupted one. */
    private AgentStatus nextEnableRecovers(int interruptedSeq, String phase) throws Exception {
        CommandResult enable = agent.enable(interruptedSeq + 1, request("after-" + interruptedSeq).build());
        assertEquals(0, enable.exitCode(), enable.toString());
        AgentStatus recovered = Backups.terminalStatus(agent, interruptedSeq, BACKUP_DONE);
        assertEquals(BACKUP_INTERRUPTED, recovered.code(), recovered.toString());
        assertEquals("error", recovered.status());
        assertTrue(recovered.message().contains("ended during phase '" + phase + "'"), recovered.message());
        assertEquals("success", Backups.blobStatus(Backups.terminalStatus(agent, interruptedSeq + 1, BACKUP_DONE)),
                "the new backup runs after the recovery");
        assertFalse(Files.exists(agent.baseDir().resolve("state/journal.json")) && Backups.workers(agent.baseDir()).isEmpty(),
                "the journal is cleared once reported");
        return recovered;
    }

    /** The pre-script sleeps on after its worker's death, until the next start's recovery kills it. */
    @Test
    void workerKilledDuringPre_nextEnableKillsThePreScriptRunsThePostScriptAndReports() throws Exception {
        agent("", "[ \"$VMSNAPSHOT_TASK_ID\" != killed-in-pre ] || sleep 96.5", "exit 0", 5);
        agent.installAndEnable(request("killed-in-pre").build());
        await("the pre-script", BACKUP_DONE, () -> eventSeen("pre killed-in-pre")
                && scriptSleeps());
        killWorker();
        assertEquals(1, Processes.withArgument(sandbox, "96.5").size(), "the pre-script outlives its worker");

        AgentStatus recovered = nextEnableRecovers(0, "pre-started");

        assertEquals(List.of(), Processes.survivors(sandbox, "96.5"), "the orphaned pre-script was killed");
        assertTrue(events().contains("post killed-in-pre interrupted"), "the owed post-script ran: " + events());
        assertTrue(recovered.message().contains("the owed post-scripts ran and succeeded"), recovered.message());
        // One process or more: the shell may exec its last command (the sleep) in place.
        assertTrue(recovered.message().matches("(?s).*killed \\d+ script process(es)? the worker left running.*"),
                recovered.message());
    }

    @Test
    void workerAndFreezeHelperKilledWhileFrozen_nextEnableThawsRunsPostAndReports() throws Exception {
        LoopMount loop = LoopMount.create(LoopMount.FsType.EXT4);
        cleanUp.add(loop);
        agent(loop.mountPoint().toString(), "exit 0", "exit 0", 30);
        proxy.always(FaultProxy.Request::isSnapshot, FaultProxy.delay(Duration.ofSeconds(60)));
        agent.installAndEnable(request("killed-frozen").build());
        await("the freeze", BACKUP_DONE, () -> Files.exists(runDir.resolve("freeze-record.json"))
                && WriteProbe.isFrozen(loop.mountPoint()));
        killWorkerAndFreezeHelper();
        assertTrue(WriteProbe.isFrozen(loop.mountPoint()), "left frozen by the killed helper");
        proxy.clear();

        AgentStatus recovered = nextEnableRecovers(0, "snapshot-started");

        assertTrue(WriteProbe.isThawed(loop.mountPoint()), "thawed by the next start");
        assertTrue(recovered.message().contains("thawed " + loop.mountPoint()), recovered.message());
        assertTrue(events().contains("post killed-frozen interrupted"), events().toString());
    }

    @Test
    void workerKilledDuringTheSnapshot_nextEnableRunsThePostScriptAndReports() throws Exception {
        agent("", "exit 0", "exit 0", 30);
        proxy.always(FaultProxy.Request::isSnapshot, FaultProxy.delay(Duration.ofSeconds(60)));
        agent.installAndEnable(request("killed-in-snapshot").build());
        await("the snapshot call", BACKUP_DONE, () -> proxy.requests().stream().anyMatch(FaultProxy.Request::isSnapshot));
        killWorker();
        proxy.clear();

        nextEnableRecovers(0, "pre-finished");

        assertTrue(events().contains("post killed-in-snapshot interrupted"), events().toString());
    }

    /**
     * Microsoft's enhanced framework (workload.conf, Oracle through a stand-in sqlplus that logs the
     * statements it receives): the worker dies in the snapshot with the database in backup mode and
     * its timer sleeping; the next start reaps the timer and its recovery ends backup mode.
     */
    @Test
    void workerKilledDuringTheSnapshot_withWorkloadConf_nextEnableEndsOraclesBackupModeAndItsTimer() throws Exception {
        agent("", "exit 0", "exit 0", 30);
        Path home = sandbox.resolve("oracle-home");
        Files.createDirectories(home.resolve("bin"));
        PackageSandbox.file(home.resolve("bin").resolve("sqlplus"), "#!/bin/sh\nsql=$(cat)\nprintf '%s\\n' \"$sql\""
                + " | grep '^ALTER' | sed \"s/^/$ORACLE_SID /\" >>" + events + "\ncase \"$sql\" in *'V$INSTANCE'*)"
                + " echo STATUS=OPEN; echo LOG_MODE=ARCHIVELOG\n  [ \"$(grep -c 'BEGIN BACKUP;$' " + events + ")\" -gt"
                + " \"$(grep -c 'END BACKUP;$' " + events + ")\" ] && echo ACTIVE_BACKUP=1 || echo ACTIVE_BACKUP=0 ;;\nesac\n",
                "rwx------");
        Path oratab = PackageSandbox.file(sandbox.resolve("oratab"), "ORCL:" + home + ":N\n", "rw-------");
        PackageSandbox.file(agent.configOverrideDir().resolve("workload.conf"), "[workload]\nworkload_name = oracle\n"
                + "configuration_path = " + oratab + "\nlinux_user = root\ntimeout = 965\n", "rw-------");
        proxy.always(FaultProxy.Request::isSnapshot, FaultProxy.delay(Duration.ofSeconds(60)));
        agent.installAndEnable(request("killed-in-snapshot").build());
        await("the snapshot call", BACKUP_DONE, () -> proxy.requests().stream().anyMatch(FaultProxy.Request::isSnapshot));
        assertFalse(endBackupTimers().isEmpty(), "the timer of backup mode runs");
        killWorker();
        proxy.clear();

        nextEnableRecovers(0, "pre-finished");

        assertEquals(List.of("ORCL ALTER SYSTEM ARCHIVE LOG CURRENT;", "ORCL ALTER DATABASE BEGIN BACKUP;",
                "ORCL ALTER DATABASE END BACKUP;"), events().subList(0, 3), "the recovery ended backup mode");
        await("the dead worker's timer to be reaped", Duration.ofSeconds(10), () -> endBackupTimers().isEmpty());
    }

    /** The Oracle timers of workload.conf still running, found by their marker argument and our sqlplus. */
    private List<Long> endBackupTimers() {
        try (java.util.stream.Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).filter(p -> {
                try {
                    List<String> argv = List.of(new String(Files.readAllBytes(p.resolve("cmdline")),
                            StandardCharsets.UTF_8).split("\0"));
                    return argv.contains("vmsnapshot-end-backup") && argv.stream().anyMatch(a -> a.startsWith(sandbox.toString()));
                } catch (IOException gone) {
                    return false;
                }
            }).map(p -> Long.parseLong(p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void workerKilledDuringPost_nextEnableRunsThePostScriptAgain() throws Exception {
        agent("", "exit 0", "[ \"$VMSNAPSHOT_TASK_ID $VMSNAPSHOT_SNAPSHOT_OUTCOME\" != \"killed-in-post success\" ]"
                + " || sleep 96.5", 5);
        agent.installAndEnable(request("killed-in-post").build());
        await("the post-script", BACKUP_DONE, () -> eventSeen("post killed-in-post success")
                && scriptSleeps());
        killWorker();

        nextEnableRecovers(0, "post-started");

        assertEquals(List.of(), Processes.survivors(sandbox, "96.5"), "the orphaned post-script was killed");

        assertEquals(List.of("pre killed-in-post", "post killed-in-post success", "post killed-in-post interrupted"),
                events().subList(0, 3));
    }

    /** After a reboot the agent enables the same sequence number again: the enable itself starts the recovery. */
    @Test
    void reboot_everythingKilledAndRunEmptied_sameSequenceNumberAgainRecovers() throws Exception {
        LoopMount loop = LoopMount.create(LoopMount.FsType.EXT4);
        cleanUp.add(loop);
        agent(loop.mountPoint().toString(), "exit 0", "exit 0", 30);
        proxy.always(FaultProxy.Request::isSnapshot, FaultProxy.delay(Duration.ofSeconds(60)));
        agent.installAndEnable(request("rebooted").build());
        // The record first: a write slowed by a busy disk alone must not pass for the freeze.
        await("the freeze", BACKUP_DONE, () -> Files.exists(runDir.resolve("freeze-record.json"))
                && WriteProbe.isFrozen(loop.mountPoint()));
        killWorkerAndFreezeHelper();
        // The reboot: nothing stays frozen, /run is a fresh tmpfs.
        io.vmsnapshot.e2e.fixtures.Command.check(30, "fsfreeze", "-u", loop.mountPoint().toString());
        PackageSandbox.deleteTree(runDir);
        proxy.clear();

        CommandResult enable = agent.enable(0, request("rebooted").build());

        assertEquals(0, enable.exitCode(), enable.toString());
        AgentStatus recovered = Backups.terminalStatus(agent, 0, BACKUP_DONE);
        assertEquals(BACKUP_INTERRUPTED, recovered.code(), recovered.toString());
        assertTrue(recovered.message().contains("no file system was left frozen"), recovered.message());
        await("the owed post-script", BACKUP_DONE, () -> eventSeen("post rebooted interrupted"));
    }

    @Test
    void disableDuringTheBackup_stopsItAfterThePostScriptAndReports() throws Exception {
        agent("", "[ \"$VMSNAPSHOT_TASK_ID\" != disabled ] || sleep 96.5", "exit 0", 5);
        agent.installAndEnable(request("disabled").build());
        await("the pre-script", BACKUP_DONE, () -> eventSeen("pre disabled"));

        CommandResult disable = agent.disable().orElseThrow();

        assertEquals(0, disable.exitCode(), disable.toString());
        AgentStatus status = Backups.terminalStatus(agent, 0, BACKUP_DONE);
        assertEquals(BACKUP_INTERRUPTED, status.code(), status.toString());
        assertTrue(events().stream().anyMatch(line -> line.startsWith("post disabled")), events().toString());
        assertEquals(List.of(), Backups.workers(agent.baseDir()));
        assertFalse(Files.exists(agent.baseDir().resolve("state/journal.json")), "nothing left to recover");
    }

    /** Two goal states' enables at the same moment: the backups run one after the other, never together. */
    @Test
    void twoEnablesAtOnce_neverTwoBackupsAtATime() throws Exception {
        agent("", "echo \"start $VMSNAPSHOT_TASK_ID\" >> " + sandbox.resolve("overlap.log") + "; sleep 1; echo \"end"
                + " $VMSNAPSHOT_TASK_ID\" >> " + sandbox.resolve("overlap.log"), "exit 0", 5);
        agent.download(AgentSimulator.builtZip(), AgentSimulator.builtVersion());
        agent.writeSettings(agent.version(), 1, request("first").build());
        agent.writeSettings(agent.version(), 2, request("second").build());
        assertEquals(0, agent.run(AgentSimulator.Operation.INSTALL).exitCode());

        CompletableFuture<CommandResult> one = CompletableFuture.supplyAsync(() -> enable(1));
        CompletableFuture<CommandResult> two = CompletableFuture.supplyAsync(() -> enable(2));

        assertEquals(0, one.get().exitCode(), one.get().toString());
        assertEquals(0, two.get().exitCode(), two.get().toString());
        Backups.terminalStatus(agent, 1, BACKUP_DONE);
        Backups.terminalStatus(agent, 2, BACKUP_DONE);
        List<String> overlap = Files.readAllLines(sandbox.resolve("overlap.log"));
        assertEquals(4, overlap.size(), overlap.toString());
        assertTrue(overlap.get(0).startsWith("start") && overlap.get(1).startsWith("end")
                && overlap.get(1).endsWith(overlap.get(0).substring(6)), "one backup at a time: " + overlap);
    }

    private CommandResult enable(int seq) {
        try {
            return agent.run(AgentSimulator.Operation.ENABLE, agent.version(),
                    Map.of("ConfigSequenceNumber", Integer.toString(seq)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The agent kills enable's process group (SIGKILL) at its timeout, wherever enable is. Whatever
     * the moment, the same sequence number enabled again ends in one final status and at most one
     * backup for it; a worker already started is in its own session and finishes.
     */
    @Test
    void enableKilledByTheAgentAtAnyMoment_theRequestStillEndsInOneFinalStatus() throws Exception {
        agent("", "exit 0", "exit 0", 5);
        agent.installAndEnable(request("warm-up").build());
        Backups.terminalStatus(agent, 0, BACKUP_DONE);
        int seq = 1;
        for (int millis : List.of(100, 300, 500, 700, 900, 1200)) {
            String task = "killed-enable-" + millis;
            agent.writeSettings(agent.version(), seq, request(task).build());
            agent.run(AgentSimulator.Operation.ENABLE, agent.version(), Map.of(), Duration.ofMillis(millis));
            Backups.noWorkers(agent.baseDir(), BACKUP_DONE);

            agent.enable(seq, request(task).build());

            AgentStatus status = Backups.terminalStatus(agent, seq, BACKUP_DONE);
            Backups.noWorkers(agent.baseDir(), BACKUP_DONE);
            long runs = events().stream().filter(line -> line.equals("pre " + task)).count();
            assertTrue(runs <= 1, task + " ran " + runs + " times");
            assertTrue(status.isTerminal(), task + ": " + status);
            seq++;
        }
    }
}

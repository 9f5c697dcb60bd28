package io.vmsnapshot.e2e.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.fixtures.Cleanup;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/samples/mariadb/vmsnapshot-mariadb.sh against a real MariaDB, run the way the plugin
 * host runs it: the lock outlives the pre-script and holds writes until the post-script, or until
 * the safety timeout when no post-script comes; the exit codes the header documents; and the
 * package's own {@code dry-run} runs it as the customer guide says.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbSampleScriptTest {
    private static final String TABLE = "app.ledger";
    private static final Duration HELD = Duration.ofMillis(700);
    /** A write the lock no longer holds commits at once; the rest is room for a loaded machine. */
    private static final Duration QUICK = Duration.ofSeconds(15);

    private final Cleanup servers = new Cleanup();
    private final AtomicLong seq = new AtomicLong();
    private RunArea area;
    private MariaDbServer server;
    private Path sample;
    private Path stateDir;
    private ScriptInvocation script;

    @BeforeAll
    void startMariaDb() throws Exception {
        DatabasePackages.mariadb();
        area = servers.add(RunArea.create("mariadb-script"));
        LoopMount disk = servers.add(LoopMount.create(LoopMount.FsType.EXT4, 256, area.path("data")));
        server = servers.add(MariaDbServer.initialize(disk.mountPoint().resolve("mysql"),
                area.directory("run", MariaDbServer.OS_USER, false)));
        InsertLoop.prepare(server);
        sample = SampleScripts.install("mariadb/vmsnapshot-mariadb.sh", area.directory("scripts", "root", false));
    }

    @AfterAll
    void stopMariaDb() throws Exception {
        servers.close();
    }

    @BeforeEach
    void freshState() {
        stateDir = area.path("state-" + seq.incrementAndGet());
        script = new ScriptInvocation(sample, params(), "task-1");
    }

    @AfterEach
    void releaseWhateverIsLeft() {
        script.post("success");
    }

    private List<String> params(String... more) {
        List<String> params = new ArrayList<>(List.of("--socket=" + server.socket(),
                "--client=" + DatabasePackages.program("mariadb"), "--state-dir=" + stateDir));
        params.addAll(List.of(more));
        return params;
    }

    private WriteAttempt write() {
        return WriteAttempt.start(server, TABLE, seq.incrementAndGet() * 1000);
    }

    @Test
    void pre_leavesTheLockHeldAfterItReturns_andPostReleasesIt() throws Exception {
        ScriptInvocation.Result pre = script.pre();

        assertEquals(0, pre.exitCode(), pre.toString());
        assertTrue(pre.output().contains("FLUSH TABLES WITH READ LOCK held by connection"), pre.output());
        try (WriteAttempt blocked = write()) {
            assertFalse(blocked.commitsWithin(HELD), "writes wait while the lock is held");
            ScriptInvocation.Result post = script.post("success");
            assertEquals(0, post.exitCode(), post.toString());
            assertTrue(post.output().contains("released FLUSH TABLES WITH READ LOCK after"), post.output());
            assertTrue(blocked.commitsWithin(QUICK), "the waiting write commits once the post-script released the lock");
        }
        assertFalse(Files.exists(stateDir.resolve("holder.pid")), "no holder left");
    }

    @Test
    void safetyTimeout_releasesTheLockWhenNoPostScriptComes_andALatePostScriptExits5() throws Exception {
        // The safety timer starts before the lock is taken; pre's return, a client's start and HELD
        // must fit in it with room to spare on a loaded machine.
        script = script.withParams(params("--hold-max=3"));
        ScriptInvocation.Result pre = script.pre();
        assertEquals(0, pre.exitCode(), pre.toString());

        try (WriteAttempt write = write()) {
            assertFalse(write.commitsWithin(HELD), "held at first");
            assertTrue(write.commitsWithin(QUICK), "released by the safety timeout, with no post-script");
        }
        ScriptInvocation.Result post = script.post("success");

        assertEquals(5, post.exitCode(), post.toString());
        assertTrue(post.output().contains("was already gone") && post.output().contains("--hold-max=3"), post.output());
    }

    @Test
    void pre_whenALongWriteKeepsTheLockWaiting_givesUpAfterLockWait_withExit4_andHoldsNothing() throws Exception {
        server.sql("CREATE TABLE IF NOT EXISTS app.batch (x int) ENGINE=InnoDB; INSERT INTO app.batch VALUES (1)");
        List<String> longWrite = new ArrayList<>(server.client());
        longWrite.addAll(List.of("-e", "UPDATE app.batch SET x = x + 1 WHERE SLEEP(6) = 0"));
        Process batch = Processes.start(longWrite, area.root().resolve("batch.out"));
        try {
            awaitRunning("SLEEP(6)");
            ScriptInvocation.Result pre = script.withParams(params("--lock-wait=1")).pre();

            assertEquals(4, pre.exitCode(), pre.toString());
            assertTrue(pre.output().contains("Lock wait timeout exceeded") && pre.output().contains("--lock-wait=1"), pre.output());
            // Before the long write's 6 s end, after which FTWRL would have succeeded (exit 0).
            assertTrue(pre.elapsed().compareTo(Duration.ofSeconds(5)) < 0, "gave up after about --lock-wait: " + pre);
            try (WriteAttempt write = write()) {
                assertTrue(write.commitsWithin(QUICK), "no lock left behind");
            }
            ScriptInvocation.Result post = script.post("success");
            assertEquals(0, post.exitCode(), post.toString());
            assertTrue(post.output().contains("no lock to release"), post.output());
        } finally {
            batch.destroyForcibly();
        }
    }

    private void awaitRunning(String statement) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!server.sql("SHOW PROCESSLIST").contains(statement)) {
            assertTrue(Instant.now().isBefore(deadline), statement + " never showed in the process list");
            Thread.sleep(20);
        }
    }

    @Test
    void pre_whenTheServerIsUnreachable_exits3_withTheClientsError() {
        ScriptInvocation.Result pre = script.withParams(List.of("--socket=" + area.path("no.sock"), "--state-dir=" + stateDir)).pre();

        assertEquals(3, pre.exitCode(), pre.toString());
        assertTrue(pre.output().contains("Can't connect"), pre.output());
    }

    @Test
    void secondPre_endsTheSessionLeftByTheFirst_beforeTakingItsOwnLock() throws Exception {
        assertEquals(0, script.pre().exitCode());
        String firstHolder = Files.readString(stateDir.resolve("holder.pid")).strip();

        ScriptInvocation.Result again = script.withTask("task-2").pre();

        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.output().contains("ending the session left by task task-1"), again.output());
        assertNotEquals(firstHolder, Files.readString(stateDir.resolve("holder.pid")).strip());
        assertFalse(Files.exists(Path.of("/proc", firstHolder, "fd", "0")), "the first holder is gone");
        ScriptInvocation.Result post = script.withTask("task-2").post("success");
        assertEquals(0, post.exitCode(), post.toString());
        try (WriteAttempt write = write()) {
            assertTrue(write.commitsWithin(QUICK), "one post released everything");
        }
    }

    @Test
    void unknownOption_exits2_andNamesIt() {
        ScriptInvocation.Result pre = script.withParams(params("--lockwait=3")).pre();

        assertEquals(2, pre.exitCode(), pre.toString());
        assertTrue(pre.output().contains("unknown option '--lockwait=3'"), pre.output());
    }

    @Test
    void dryRun_ofThePackage_runsTheSampleAsABackupWould_andReportsItApplicationConsistent(@TempDir Path sandbox) throws Exception {
        AgentSimulator agent = AgentSimulator.inSandbox(sandbox);
        Path baseDir = agent.download(AgentSimulator.builtZip(), AgentSimulator.builtVersion());
        PluginConfig.both(sample, params(), 30).writeInto(agent.configOverrideDir());

        ScriptInvocation.Result dryRun = new ScriptInvocation(baseDir.resolve("bin").resolve("handle.sh"), List.of("dry-run"), "-")
                .run("-", Map.of("VMSNAPSHOT_CONFIG_DIR", agent.configOverrideDir().toString()));

        assertEquals(0, dryRun.exitCode(), dryRun.toString());
        assertTrue(dryRun.output().contains("OK    all scripts succeeded"), dryRun.output());
        assertTrue(dryRun.output().matches("(?s).*ScriptRunner\\S*\\s+pre\\s+1\\s+0\\s.*ScriptRunner\\S*\\s+post\\s+1\\s+0\\s.*"), dryRun.output());
        try (WriteAttempt write = write()) {
            assertTrue(write.commitsWithin(QUICK), "the dry run's post released its lock");
        }
    }
}

package io.vmsnapshot.e2e.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.CiRequirement;
import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.agent.Settings;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import io.vmsnapshot.e2e.fixtures.WriteProbe;
import io.vmsnapshot.e2e.storage.FaultProxy;
import io.vmsnapshot.freeze.FreezeRecord;
import io.vmsnapshot.freeze.FreezeRecordStore;
import io.vmsnapshot.freeze.SafeFreezeLock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nobody else acts on a freeze while it lasts (issue 14 items 4 to 6), through the built package:
 * a concurrent start's freeze recovery, a stale record, Azure Site Recovery's lock held by another
 * process, and a vmbackup.conf timeout beyond what the helper takes. Figures are printed, never
 * asserted against a clock; docs/RELIABILITY.md quotes them.
 */
class FreezeExclusionTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path FSFREEZE = Path.of("/sbin/fsfreeze");

    @RegisterExtension
    static final BackupVm vm = new BackupVm("exclusion");
    private static LoopMount ext4;
    private static AgentSimulator agent;
    private static FreezeRig rig;
    private static int seq;

    @BeforeAll
    static void install() throws IOException {
        ext4 = vm.mount(LoopMount.FsType.EXT4);
        rig = FreezeRig.install(vm, 1, List.of(ext4));
        agent = rig.agent();
    }

    @AfterEach
    void clean() throws Exception {
        rig.proxy().clear();
        Files.deleteIfExists(vm.sandbox().configDir().resolve("vmbackup.conf"));
    }

    private static Settings backup() {
        return rig.backup(List.of(0));
    }

    private static String extensionLog() throws IOException {
        return Files.readString(agent.handlerLogDir().resolve("extension.log"), StandardCharsets.UTF_8);
    }

    /**
     * A worker is in its freeze window, and its record is made to look stale (its helper's pid
     * replaced by a dead one, start time unknown): before the record lock, a `check` started now
     * thawed the live freeze and deleted the live worker's record.
     */
    @Test
    void aCheckDuringALiveFreeze_thawsNothingAndDeletesNoRecord() throws Exception {
        int mine = ++seq;
        rig.proxy().always(FaultProxy.Request::isSnapshot, FaultProxy.delay(Duration.ofSeconds(8)));
        agent.enable(mine, backup());

        try (WriteProbe writer = BackupFreezeTest.awaitFrozen(ext4.mountPoint())) {
            FreezeRecordStore records = new FreezeRecordStore(rig.runDir());
            FreezeRecord live = records.read().orElseThrow();
            FreezeRecord stale = new FreezeRecord(deadPid(), 0, live.createdAt(), live.mountPoints());
            records.write(stale);

            BackupSandbox.Launched check = BackupSandbox.launch(agent, Duration.ofSeconds(60), "check");

            assertTrue(writer.blockedFor(Duration.ofMillis(300)), "the live freeze is still in force: " + check);
            assertEquals(stale, records.read().orElseThrow(), "the worker's record is still there");
            System.out.println("figure concurrent-check-during-freeze elapsedMs=" + check.elapsed().toMillis());
            AgentStatus status = BackupSandbox.awaitTerminal(agent, mine);
            assertEquals(0, status.code(), "the freeze held until the snapshot ended: " + status.message());
            assertTrue(writer.completesWithin(writer.elapsed().plus(Duration.ofSeconds(10))), "thawed by the worker");
        }
        assertTrue(extensionLog().contains("freeze-recovery-skipped reason=freeze-in-progress"));
    }

    /**
     * A record left by a killed helper whose pid now belongs to another program: with an unknown
     * start time (0) or a different one, that program is not the helper, and the next start thaws.
     */
    @Test
    void aStaleRecordWhosePidWasReused_isThawedAndDeletedByTheNextStart() throws Exception {
        CiRequirement.require(Files.isExecutable(FSFREEZE), FSFREEZE + " (util-linux) is needed to freeze the mount");
        FreezeRecordStore records = new FreezeRecordStore(rig.runDir());
        Process stranger = new ProcessBuilder("sleep", "300").start();
        try {
            for (long startTicks : new long[] {0, 1}) {
                run(FSFREEZE.toString(), "-f", ext4.mountPoint().toString());
                records.write(new FreezeRecord(stranger.pid(), startTicks, Instant.now().toString(),
                        List.of(ext4.mountPoint().toString())));

                BackupSandbox.Launched check = BackupSandbox.launch(agent, Duration.ofSeconds(60), "check");

                assertTrue(WriteProbe.isThawed(ext4.mountPoint()), "startTicks=" + startTicks + ": " + check);
                assertFalse(Files.exists(records.file()), "startTicks=" + startTicks + ": the record is gone");
                assertTrue(stranger.isAlive(), "the stranger is left alone");
                System.out.println("figure stale-record-thawed startTicks=" + startTicks + " elapsedMs="
                        + check.elapsed().toMillis());
            }
        } finally {
            stranger.destroyForcibly();
            new ProcessBuilder(FSFREEZE.toString(), "-u", ext4.mountPoint().toString()).start().waitFor();
        }
    }

    /**
     * Azure Site Recovery holds its freeze lock — here a python3 that takes it exactly as upstream's
     * fsfreezer.py does, {@code fcntl.lockf(LOCK_EX | LOCK_NB)}: the backup freezes nothing and
     * reports upstream's error after upstream's five tries; the post-script still runs.
     */
    @Test
    void siteRecoveryHoldingItsFreezeLock_nothingIsFrozenAndTheStatusSaysUpstreamsError() throws Exception {
        CiRequirement.require(Files.isExecutable(PYTHON), PYTHON + " is needed to hold the lock as upstream does");
        Path lockDir = Files.createDirectories(vm.sandbox().configDir().resolve(SafeFreezeLock.DIRECTORY));
        Files.setPosixFilePermissions(lockDir, PosixFilePermissions.fromString("rwx------"));
        Process siteRecovery = new ProcessBuilder(PYTHON.toString(), "-c", "import fcntl, sys\n"
                + "f = open(sys.argv[1], 'w')\n"
                + "fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\n"
                + "print('locked', flush=True)\n"
                + "sys.stdin.read()\n", lockDir.resolve(SafeFreezeLock.FILE_NAME).toString())
                .redirectErrorStream(true).start();
        try {
            String line = new BufferedReader(new InputStreamReader(siteRecovery.getInputStream(),
                    StandardCharsets.UTF_8)).readLine();
            assertEquals("locked", line);
            int mine = ++seq;
            int logBefore = extensionLog().length();
            Instant start = Instant.now();
            CommandResult enable = agent.enable(mine, backup());
            assertEquals(0, enable.exitCode(), enable.toString());

            boolean helperSeen = false;
            AgentStatus status;
            while (true) {
                helperSeen |= !BackupSandbox.freezeHelpers(agent.baseDir()).isEmpty();
                status = agent.statusIfPresent(mine).orElse(null);
                if (status != null && status.isTerminal()) {
                    break;
                }
                assertTrue(Duration.between(start, Instant.now()).toSeconds() < BackupSandbox.BACKUP_DONE.toSeconds(),
                        "no final status within " + BackupSandbox.BACKUP_DONE);
                Thread.sleep(100);
            }
            System.out.println("figure site-recovery-lock-busy statusAfterMs=" + Duration.between(start, Instant.now())
                    .toMillis());

            assertEquals(121, status.code(), status.message());
            assertTrue(status.message().contains("Mount Points already freezed by some other processor"),
                    status.message());
            assertFalse(helperSeen, "the freeze helper never started");
            String backupLog = extensionLog().substring(logBefore);
            assertFalse(backupLog.contains("frozen mounts="), "nothing was frozen");
            assertTrue(backupLog.contains("safe-freeze-lock-busy"), "the tries are logged");
            assertTrue(WriteProbe.isThawed(ext4.mountPoint()));
            assertEquals(List.of("pre e2e", "post skipped"), vm.sandbox().scriptRuns(), "the post-script ran");
        } finally {
            siteRecovery.destroyForcibly();
            siteRecovery.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The helper takes at most a day; more used to fail every backup with 121. */
    @Test
    void aTimeoutAboveOneDayInVmbackupConf_isLoweredWithAWarningAndTheBackupSucceeds() throws Exception {
        vm.sandbox().vmBackupConf("timeout = 90000");
        int mine = ++seq;

        agent.enable(mine, backup());

        AgentStatus status = BackupSandbox.awaitTerminal(agent, mine);
        assertEquals(0, status.code(), status.message());
        assertTrue(extensionLog().contains("timeout = 90000"), "the warning names the value");
        assertTrue(extensionLog().contains("the backup uses 86400 s"), "and what the backup uses instead");
        assertTrue(status.message().contains("timeout = 90000"), "the status says it too: " + status.message());
    }

    /** A pid that no process has: one that has just exited (reuse within these milliseconds is remote). */
    private static long deadPid() throws Exception {
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        return done.pid();
    }

    private static void run(String... argv) throws Exception {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", argv) + ": " + output);
    }
}

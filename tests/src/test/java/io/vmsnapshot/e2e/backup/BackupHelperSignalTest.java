package io.vmsnapshot.e2e.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.Settings;
import io.vmsnapshot.e2e.fixtures.Command;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import io.vmsnapshot.e2e.fixtures.WriteProbe;
import io.vmsnapshot.e2e.storage.FaultProxy;
import io.vmsnapshot.freeze.FreezeRecordStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A signal to the freeze helper while the backup is in its freeze window, as on a VM where an
 * operator, the OOM killer or a crash hits it: a freeze never outlives the backup. As in
 * {@link BackupFreezeTest}, the package, the status and the log lie on the frozen xfs, so a worker
 * that wrote its held log before the thaw would hang there and never report.
 */
class BackupHelperSignalTest {
    /**
     * The snapshot call is held this long: a writer that resumes well inside it was released by a
     * thaw at the helper's death, not by the thaw at the snapshot's end.
     */
    private static final Duration SNAPSHOT_HELD = Duration.ofSeconds(8);
    /** Generous for a loaded machine; what it takes is printed (docs/RELIABILITY.md), not asserted. */
    private static final Duration WELL_INSIDE_THE_SNAPSHOT = Duration.ofSeconds(5);
    private static final Duration RESUMES = Duration.ofSeconds(30);

    @RegisterExtension
    static final BackupVm vm = new BackupVm("signal");
    private static LoopMount ext4;
    private static LoopMount xfs;
    private static AgentSimulator agent;
    private static FreezeRig rig;
    private static int seq;

    @BeforeAll
    static void installOnTheMountToFreeze() throws IOException {
        ext4 = vm.mount(LoopMount.FsType.EXT4);
        xfs = vm.mount(LoopMount.FsType.XFS);
        rig = FreezeRig.install(vm, 1, xfs.mountPoint().resolve("vm"), List.of(ext4, xfs));
        agent = rig.agent();
    }

    @AfterEach
    void noFaultsLeft() {
        rig.proxy().clear();
    }

    private static Settings backup() {
        return rig.backup(List.of(0));
    }

    /** Signals that end the helper: SIGKILL (nothing can catch it), SIGPWR and SIGRTMIN (caught since), SIGSEGV (a crash). */
    @ParameterizedTest
    @ValueSource(strings = {"KILL", "PWR", "RTMIN", "SEGV"})
    void signalThatEndsTheHelperWhileFrozen_theMountsThawAtOnce_postRunsAndTheStatusSaysSo(String signal)
            throws Exception {
        int mine = ++seq;
        rig.proxy().always(FaultProxy.Request::isSnapshot, FaultProxy.delay(SNAPSHOT_HELD));
        agent.enable(mine, backup());

        try (WriteProbe writer = BackupFreezeTest.awaitFrozen(ext4.mountPoint())) {
            long helper = theFreezeHelper();
            long sent = System.nanoTime();
            signal(signal, helper);

            assertTrue(writer.completesWithin(writer.elapsed().plus(WELL_INSIDE_THE_SNAPSHOT)),
                    "SIG" + signal + ": the mount thawed while the snapshot call was still held");
            System.out.printf("helper-signal-thaw signal=SIG%s signalToWritableMs=%d%n", signal,
                    Duration.ofNanos(System.nanoTime() - sent).toMillis());
        }
        assertTrue(WriteProbe.isThawed(xfs.mountPoint()), "xfs thawed too");
        AgentStatus status = BackupSandbox.awaitTerminal(agent, mine);
        assertEquals(121, status.code(), status.message());
        assertTrue(status.message().contains(signal.equals("KILL") || signal.equals("SEGV")
                ? "ended without thawing the file systems (it was killed or crashed)"
                : "got a signal and thawed before the snapshot ended"), status.message());
        assertTrue(vm.sandbox().scriptRuns().stream().anyMatch(run -> run.startsWith("post ")),
                "the post-script ran: " + vm.sandbox().scriptRuns());
        assertFalse(Files.exists(new FreezeRecordStore(rig.runDir()).file()), "nothing left for the next start");
    }

    /** A stopped helper cannot thaw, nor be asked to: the worker thaws around it at the thaw and kills it. */
    @ParameterizedTest
    @ValueSource(strings = {"STOP"})
    void stoppedHelper_theMountsThawWhenTheSnapshotEnds_postRunsAndTheStatusSaysSo(String signal) throws Exception {
        int mine = ++seq;
        rig.proxy().always(FaultProxy.Request::isSnapshot, FaultProxy.delay(Duration.ofSeconds(4)));
        agent.enable(mine, backup());

        long sent;
        try (WriteProbe writer = BackupFreezeTest.awaitFrozen(ext4.mountPoint())) {
            long helper = theFreezeHelper();
            sent = System.nanoTime();
            signal(signal, helper);

            boolean resumed = writer.completesWithin(writer.elapsed().plus(RESUMES));
            if (!resumed) {
                Files.readAllLines(agent.handlerLogDir().resolve("extension.log")).stream()
                        .filter(line -> line.contains("freeze") || line.contains("thaw") || line.contains("snapshot"))
                        .forEach(line -> System.out.println("extension.log: " + line));
                Command.run(List.of("sh", "-c", "ps -eo pid,ppid,stat,wchan:30,args | grep -e vmsnapshot -e java"), 10)
                        .output().lines().forEach(line -> System.out.println("ps: " + line));
            }
            assertTrue(resumed, "thawed after the snapshot");
            System.out.printf("helper-signal-thaw signal=SIGSTOP signalToWritableMs=%d (snapshot held 4000 ms)%n",
                    Duration.ofNanos(System.nanoTime() - sent).toMillis());
        }
        assertTrue(WriteProbe.isThawed(xfs.mountPoint()), "xfs thawed too");
        AgentStatus status = BackupSandbox.awaitTerminal(agent, mine);
        assertEquals(121, status.code(), status.message());
        assertTrue(status.message().contains("was stopped or did not answer"), status.message());
        assertTrue(vm.sandbox().scriptRuns().stream().anyMatch(run -> run.startsWith("post ")),
                "the post-script ran: " + vm.sandbox().scriptRuns());
        assertEquals(List.of(), BackupSandbox.freezeHelpers(agent.baseDir()), "the stopped helper was killed");
        assertFalse(Files.exists(new FreezeRecordStore(rig.runDir()).file()));
    }

    private static long theFreezeHelper() throws IOException {
        List<Long> helpers = BackupSandbox.freezeHelpers(agent.baseDir());
        assertEquals(1, helpers.size(), "one freeze helper: " + helpers);
        return helpers.get(0);
    }

    private static void signal(String name, long pid) {
        Command.check(10, "kill", "-s", name, Long.toString(pid));
    }
}

package io.vmsnapshot.e2e.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.fixtures.LoopMount;
import io.vmsnapshot.e2e.fixtures.WriteProbe;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.freeze.FreezeEligibility;
import io.vmsnapshot.freeze.FreezeRecord;
import io.vmsnapshot.freeze.FreezeRecordStore;
import io.vmsnapshot.freeze.FreezeRecovery;
import io.vmsnapshot.freeze.FreezeSession;
import io.vmsnapshot.freeze.Mount;
import io.vmsnapshot.freeze.MountTable;
import io.vmsnapshot.freeze.SystemHelperLauncher;
import io.vmsnapshot.freeze.ThawResult;
import io.vmsnapshot.freeze.ThawTrigger;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The real helper on real loop-mounted ext4 and xfs file systems. */
class HelperFreezeTest {
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Duration BLOCKED = Duration.ofMillis(500);
    /** A blocked writer resumes at the thaw; the rest is room for a loaded machine's disk. */
    private static final Duration RESUMES = Duration.ofSeconds(30);
    /**
     * The helper's own timeout in the auto-thaw case: the writer must still be blocked {@link #BLOCKED}
     * after the freeze returned and a writer process started, which a loaded machine can take a while for.
     */
    private static final Duration HELPER_TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path runDir;

    @BeforeEach
    void root() {
        FreezeFixtures.assumeRoot();
    }

    @ParameterizedTest
    @EnumSource(LoopMount.FsType.class)
    void freeze_blocksAWriterUntilTheThawThenItResumes(LoopMount.FsType type) throws Exception {
        try (LoopMount loop = LoopMount.create(type)) {
            Mount mount = FreezeFixtures.mountOf(loop);
            FreezeSession session = FreezeFixtures.freezer(runDir).freeze(List.of(mount), WINDOW);
            try (WriteProbe writer = WriteProbe.start(loop.mountPoint())) {
                assertTrue(writer.blockedFor(BLOCKED), "a write went through during the freeze");

                ThawResult result = session.thaw();

                assertTrue(writer.completesWithin(RESUMES), "the writer did not resume after the thaw");
                assertEquals(ThawTrigger.REQUEST, result.trigger());
                assertTrue(result.consistent(), result.summary());
            } finally {
                session.close();
            }
            assertFalse(Files.exists(new FreezeRecordStore(runDir).file()), "the record outlived the thaw");
        }
    }

    @ParameterizedTest
    @EnumSource(LoopMount.FsType.class)
    void helperTimeout_thawsByItselfAndTheThawSaysSo(LoopMount.FsType type) throws Exception {
        try (LoopMount loop = LoopMount.create(type);
             FreezeSession session = FreezeFixtures.freezer(runDir)
                     .freeze(List.of(FreezeFixtures.mountOf(loop)), HELPER_TIMEOUT)) {
            try (WriteProbe writer = WriteProbe.start(loop.mountPoint())) {
                assertTrue(writer.blockedFor(BLOCKED));
                // Nothing else thaws before session.thaw() below; the window only has to end well before WINDOW.
                assertTrue(writer.completesWithin(HELPER_TIMEOUT.plus(RESUMES)), "the helper's own timeout did not thaw");
            }

            ThawResult result = session.thaw();

            assertEquals(ThawTrigger.TIMEOUT, result.trigger());
            assertFalse(result.consistent());
            assertTrue(result.allThawed(), result.summary());
        }
    }

    @Test
    void sigtermToTheHelper_thaws() throws Exception {
        try (LoopMount loop = LoopMount.create(LoopMount.FsType.EXT4);
             FreezeSession session = FreezeFixtures.freezer(runDir).freeze(List.of(FreezeFixtures.mountOf(loop)), WINDOW)) {
            long pid = new FreezeRecordStore(runDir).read().orElseThrow().helperPid();
            assertTrue(WriteProbe.isFrozen(loop.mountPoint()));

            ProcessHandle.of(pid).orElseThrow().destroy();

            try (WriteProbe writer = WriteProbe.start(loop.mountPoint())) {
                assertTrue(writer.completesWithin(RESUMES));
            }
            assertEquals(ThawTrigger.SIGNAL, session.thaw().trigger());
        }
    }

    /**
     * The helper killed when no handler is left to thaw around it (the worker died too, as at a
     * power cut of the process tree): the next start's recovery thaws from the record. The helper
     * is driven by hand here, because a live HelperFreezer would thaw around it at once.
     */
    @ParameterizedTest
    @EnumSource(LoopMount.FsType.class)
    void killedHelperWithNoHandlerLeft_leavesTheFreezeAndRecoveryOnTheNextStartThawsIt(LoopMount.FsType type)
            throws Exception {
        try (LoopMount loop = LoopMount.create(type)) {
            Process helper = new ProcessBuilder(FreezeFixtures.helper().toString(), "60", loop.mountPoint().toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(helper.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready 1", out.readLine());
            FreezeRecordStore records = new FreezeRecordStore(runDir);
            records.write(new FreezeRecord(helper.pid(), startTicks(helper.pid()), "2026-03-01T10:00:00Z",
                    List.of(loop.mountPoint().toString())));
            helper.getOutputStream().write("freeze\n".getBytes(StandardCharsets.US_ASCII));
            helper.getOutputStream().flush();
            assertEquals("freezing " + loop.mountPoint(), out.readLine());
            assertEquals("frozen 1", out.readLine());
            helper.destroyForcibly();
            helper.onExit().get();
            assertTrue(WriteProbe.isFrozen(loop.mountPoint()), "SIGKILL of the helper should leave the freeze");

            List<Path> thawed = new FreezeRecovery(records, FreezeFixtures.PROC, FreezeFixtures.helper(),
                    new SystemHelperLauncher(), Duration.ofSeconds(30)).recover();

            assertEquals(List.of(loop.mountPoint()), thawed);
            try (WriteProbe writer = WriteProbe.start(loop.mountPoint())) {
                assertTrue(writer.completesWithin(RESUMES));
            }
            assertFalse(Files.exists(records.file()));
        }
    }

    /** Field 22 of /proc/<pid>/stat, as the handler records it. */
    private static long startTicks(long pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
    }

    @Test
    void killedHelperWhileTheHandlerLives_isThawedAroundAtOnce() throws Exception {
        try (LoopMount loop = LoopMount.create(LoopMount.FsType.EXT4);
             FreezeSession session = FreezeFixtures.freezer(runDir).freeze(List.of(FreezeFixtures.mountOf(loop)), WINDOW)) {
            ProcessHandle helper = ProcessHandle.of(new FreezeRecordStore(runDir).read().orElseThrow().helperPid())
                    .orElseThrow();
            try (WriteProbe writer = WriteProbe.start(loop.mountPoint())) {
                assertTrue(writer.blockedFor(BLOCKED));
                long killed = System.nanoTime();
                helper.destroyForcibly();

                assertTrue(writer.completesWithin(writer.elapsed().plus(RESUMES)), "thawed around the killed helper");
                System.out.printf("helper-kill-thaw killToWritableMs=%d%n",
                        Duration.ofNanos(System.nanoTime() - killed).toMillis());
            }
            ThawResult result = session.thaw();
            assertEquals(ThawTrigger.HELPER_LOST, result.trigger());
            assertTrue(result.allThawed(), result.summary());
        }
    }

    /** What the serial console of a VM hung on a frozen file system shows: each freeze and thaw. */
    @Test
    void eachFreezeAndThaw_isALineInTheKernelLog() throws Exception {
        io.vmsnapshot.e2e.CiRequirement.require(Files.isWritable(Path.of("/dev/kmsg")),
                "the kernel log (/dev/kmsg) is where the helper tells the console what it froze");
        try (LoopMount loop = LoopMount.create(LoopMount.FsType.EXT4)) {
            FreezeSession session = FreezeFixtures.freezer(runDir).freeze(List.of(FreezeFixtures.mountOf(loop)), WINDOW);
            long pid = new FreezeRecordStore(runDir).read().orElseThrow().helperPid();
            session.thaw();

            String kernelLog = io.vmsnapshot.e2e.fixtures.Command.check(30, "dmesg").output();
            assertTrue(kernelLog.contains("vmsnapshot-freeze[" + pid + "]: froze " + loop.mountPoint()), "no freeze line");
            assertTrue(kernelLog.contains("vmsnapshot-freeze[" + pid + "]: thawed " + loop.mountPoint()), "no thaw line");
        }
    }

    @Test
    void recovery_whileTheHelperStillHoldsTheFreeze_leavesItAlone() throws Exception {
        try (LoopMount loop = LoopMount.create(LoopMount.FsType.EXT4);
             FreezeSession session = FreezeFixtures.freezer(runDir).freeze(List.of(FreezeFixtures.mountOf(loop)), WINDOW)) {
            List<Path> thawed = new FreezeRecovery(new FreezeRecordStore(runDir), FreezeFixtures.PROC,
                    FreezeFixtures.helper(), new SystemHelperLauncher(), Duration.ofSeconds(30)).recover();

            assertEquals(List.of(), thawed);
            assertTrue(WriteProbe.isFrozen(loop.mountPoint()));
            assertTrue(session.thaw().consistent());
        }
    }

    @Test
    void freezeMountsEnv_listingAPathThatIsNotAMountPoint_failsNamingIt() throws Exception {
        try (LoopMount loop = LoopMount.create(LoopMount.FsType.EXT4)) {
            Path sub = Files.createDirectory(loop.mountPoint().resolve("sub"));
            FreezeEligibility eligibility = new FreezeEligibility(
                    Map.of(FreezeEligibility.FREEZE_MOUNTS_ENV, loop.mountPoint() + ":" + sub), Set.of(), Optional.empty());

            HandlerException e = assertThrows(HandlerException.class,
                    () -> eligibility.select(new MountTable(FreezeFixtures.MOUNT_INFO).read()));

            assertEquals(ErrorCode.FS_UNABLE_TO_OPEN_MOUNT, e.errorCode());
            assertTrue(e.detail().contains(sub.toString()), e.detail());
        }
    }

    @Test
    void freezeMountsEnv_listingTheLoopMount_selectsItAlthoughLoopMountsAreSkippedByDefault() throws Exception {
        try (LoopMount loop = LoopMount.create(LoopMount.FsType.EXT4)) {
            List<Mount> table = new MountTable(FreezeFixtures.MOUNT_INFO).read();

            List<Mount> listed = new FreezeEligibility(Map.of(FreezeEligibility.FREEZE_MOUNTS_ENV,
                    loop.mountPoint().toString()), Set.of(), Optional.empty()).select(table);
            List<Mount> byRules = new FreezeEligibility(Map.of(), Set.of(), Optional.empty()).select(table);

            assertEquals(List.of(FreezeFixtures.mountOf(loop)), listed);
            assertTrue(byRules.stream().noneMatch(m -> m.mountPoint().equals(loop.mountPoint())));
        }
    }

    @Test
    void helper_givenADirectoryThatIsNotAMountRoot_refusesBeforeFreezingAnything() throws Exception {
        try (LoopMount loop = LoopMount.create(LoopMount.FsType.EXT4)) {
            Path sub = Files.createDirectory(loop.mountPoint().resolve("sub"));
            Mount notAMount = new Mount(loop.device(), sub, "ext4", "7:0");

            HandlerException e = assertThrows(HandlerException.class,
                    () -> FreezeFixtures.freezer(runDir).freeze(List.of(notAMount), WINDOW));

            assertEquals(ErrorCode.FS_UNABLE_TO_OPEN_MOUNT, e.errorCode());
            assertTrue(e.detail().contains("not a mount point"), e.detail());
            assertTrue(WriteProbe.isThawed(loop.mountPoint()));
        }
    }

    @Test
    void freezingTheSameFileSystemTwice_failsWithFreezeFailedAndThawsTheFirst() throws Exception {
        try (LoopMount loop = LoopMount.create(LoopMount.FsType.EXT4)) {
            Mount mount = FreezeFixtures.mountOf(loop);

            HandlerException e = assertThrows(HandlerException.class,
                    () -> FreezeFixtures.freezer(runDir).freeze(List.of(mount, mount), WINDOW));

            assertEquals(ErrorCode.FS_FREEZE_FAILED, e.errorCode());
            assertTrue(e.detail().contains("Device or resource busy"), e.detail());
            assertTrue(WriteProbe.isThawed(loop.mountPoint()));
            assertFalse(Files.exists(new FreezeRecordStore(runDir).file()));
        }
    }
}

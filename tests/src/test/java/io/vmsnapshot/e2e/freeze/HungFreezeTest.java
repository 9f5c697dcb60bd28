package io.vmsnapshot.e2e.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.fixtures.Command;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import io.vmsnapshot.e2e.fixtures.WriteProbe;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.freeze.FreezeRecordStore;
import io.vmsnapshot.freeze.HelperFreezer;
import io.vmsnapshot.freeze.SystemHelperLauncher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FIFREEZE that never returns, as under stalled I/O (fapolicyd on RHEL, a hung disk). Device
 * mapper is not in the test kernels, so nested loop mounts make the stall: file system B lives in
 * an image file on loop file system A; B has dirty data and A is frozen, so B's FIFREEZE, which
 * must write that data back, blocks in the kernel until A is thawed (nothing else ends it, not
 * even SIGKILL). The product is asked to freeze another mount, then B.
 */
class HungFreezeTest {
    /** Short, so that the test is: production waits 66 s (upstream's SafeFreezeWaitInSeconds). */
    private static final Duration FREEZE_WAIT = Duration.ofSeconds(4);

    @TempDir
    Path runDir;

    @BeforeEach
    void root() {
        FreezeFixtures.assumeRoot();
    }

    @Test
    void freezeThatHangs_theMountFrozenBeforeItThawsAtTheFreezeWait_122NamesTheHungMount_andItThawsOnceItsIoResumes()
            throws Exception {
        try (LoopMount other = LoopMount.create(LoopMount.FsType.EXT4);
             LoopMount a = LoopMount.create(LoopMount.FsType.EXT4, 96, tempMountPoint());
             LoopMount b = LoopMount.createWithImageIn(LoopMount.FsType.EXT4, 32, a.mountPoint().resolve("b"))) {
            HelperFreezer freezer = new HelperFreezer(FreezeFixtures.helper(), new SystemHelperLauncher(),
                    new FreezeRecordStore(runDir), FreezeFixtures.PROC, Clock.systemUTC(), FREEZE_WAIT,
                    Duration.ofSeconds(30));
            Command.check(30, "dd", "if=/dev/urandom", "of=" + b.mountPoint().resolve("dirty"), "bs=1M", "count=4",
                    "status=none");
            Command.check(30, "fsfreeze", "-f", a.mountPoint().toString());
            try {
                long start = System.nanoTime();
                HandlerException e = assertThrows(HandlerException.class, () -> freezer.freeze(
                        List.of(FreezeFixtures.mountOf(other), FreezeFixtures.mountOf(b)), Duration.ofSeconds(60)));
                long failedAfter = Duration.ofNanos(System.nanoTime() - start).toMillis();

                assertEquals(ErrorCode.FS_FREEZE_TIMEOUT, e.errorCode());
                assertTrue(e.detail().startsWith("the freeze of " + b.mountPoint() + " did not return within"), e.detail());
                assertTrue(e.detail().contains("thawed [" + other.mountPoint() + "] from a new process"), e.detail());
                long checked = System.nanoTime();
                assertTrue(WriteProbe.isThawed(other.mountPoint()), "the mount frozen before the hung one is thawed");
                System.out.printf("hung-freeze failedAfterMs=%d (freeze wait %d ms) otherWritableMs=%d%n", failedAfter,
                        FREEZE_WAIT.toMillis(), Duration.ofNanos(System.nanoTime() - checked).toMillis());
            } finally {
                Command.run(List.of("fsfreeze", "-u", a.mountPoint().toString()), 30);
            }
            // The late FIFREEZE returns now; the helper, told to end, thaws B instead of keeping it.
            assertTrue(WriteProbe.isThawed(b.mountPoint()), "the hung mount thaws once its freeze returns");
            assertTrue(WriteProbe.isThawed(a.mountPoint()));
        }
    }

    private static Path tempMountPoint() throws java.io.IOException {
        return java.nio.file.Files.createTempDirectory("vmsnapshot-loop-a-");
    }
}

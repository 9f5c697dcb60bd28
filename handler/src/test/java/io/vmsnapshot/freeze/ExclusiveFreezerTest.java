package io.vmsnapshot.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.worker.ChildLockHolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On the real file system: the locks are the kernel's (fcntl), and "busy" is seen from another process. */
class ExclusiveFreezerTest {
    private static final List<Mount> DATA = List.of(new Mount("/dev/sdc1", Path.of("/data"), "ext4", "8:33"));

    @TempDir
    Path dir;

    private final List<String> events = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();
    private Runnable duringFreeze = () -> { };
    private Runnable duringThaw = () -> { };
    private HandlerException freezeFailure;
    private SafeFreezeLock.Pause pause = pauses::add;

    private Path configDir() {
        return dir.resolve("etc-azure");
    }

    private Path siteRecoveryFile() {
        return configDir().resolve("MicrosoftRecoverySvcsSafeFreezeLock").resolve("SafeFreezeLockFile");
    }

    private FreezeRecordLock recordLock() {
        return new FreezeRecordStore(dir.resolve("run")).lock();
    }

    private final Freezer helper = (mounts, timeout) -> {
        events.add("freeze " + mounts.size());
        duringFreeze.run();
        if (freezeFailure != null) {
            throw freezeFailure;
        }
        return () -> {
            events.add("thaw");
            duringThaw.run();
            return ThawResult.nothingFrozen();
        };
    };

    private ExclusiveFreezer freezer() throws IOException {
        Files.createDirectories(configDir());
        return new ExclusiveFreezer(helper,
                new SafeFreezeLock(configDir(), SafeFreezeLock.UPSTREAM_PAUSES, d -> pause.sleep(d)),
                recordLock(), Duration.ofSeconds(2));
    }

    /** Another process cannot take it: it fails with "busy" and the holder's constructor says so. */
    private void assertHeldByUs(Path lockFile) {
        IOException busy = assertThrows(IOException.class, () -> new ChildLockHolder(lockFile, false).close());
        assertTrue(busy.getMessage().contains("busy"), busy.getMessage());
    }

    private void assertFree(Path lockFile) throws Exception {
        new ChildLockHolder(lockFile, false).close();
    }

    @Test
    void freeze_holdsTheSiteRecoveryAndRecordLocksFromBeforeTheFreezeUntilTheThawHasReturned() throws Exception {
        duringFreeze = () -> {
            assertHeldByUs(siteRecoveryFile());
            assertHeldByUs(recordLock().file());
            events.add("both held while freezing");
        };
        duringThaw = () -> {
            assertHeldByUs(recordLock().file());
            events.add("held while thawing");
        };

        FreezeSession session = freezer().freeze(DATA, Duration.ofSeconds(60), Duration.ofSeconds(55));
        session.thaw();

        assertEquals(List.of("freeze 1", "both held while freezing", "thaw", "held while thawing"), events);
        assertFree(siteRecoveryFile());
        assertFree(recordLock().file());
        assertEquals(List.of(), pauses, "taken at the first try");
    }

    /**
     * Azure Site Recovery (here: another process) holds the lock through all five of upstream's tries:
     * nothing is frozen, and the error is upstream's.
     */
    @Test
    void freeze_whenAnotherProcessKeepsTheSiteRecoveryLock_freezesNothingAndReportsUpstreamsError() throws Exception {
        ExclusiveFreezer freezer = freezer();
        Files.createDirectories(siteRecoveryFile().getParent());
        HandlerException e;
        try (ChildLockHolder siteRecovery = new ChildLockHolder(siteRecoveryFile(), false)) {
            e = assertThrows(HandlerException.class, () -> freezer.freeze(DATA, Duration.ofSeconds(60)));
        }

        assertEquals(ErrorCode.FS_FREEZE_FAILED, e.errorCode());
        assertTrue(e.detail().startsWith("Mount Points already freezed by some other processor"), e.detail());
        assertTrue(e.detail().contains(siteRecoveryFile().toString()) && e.detail().contains("nothing was frozen"),
                e.detail());
        assertEquals(List.of(), events, "the helper was never asked to freeze");
        assertEquals(SafeFreezeLock.UPSTREAM_PAUSES, pauses, "five tries: 1 s, 1 s, 1 s, then 31 s before the last");
        assertFree(recordLock().file());
    }

    @Test
    void freeze_takesTheSiteRecoveryLockOnceItsHolderLetsGo() throws Exception {
        ExclusiveFreezer freezer = freezer();
        Files.createDirectories(siteRecoveryFile().getParent());
        ChildLockHolder siteRecovery = new ChildLockHolder(siteRecoveryFile(), false);
        pause = d -> {
            pauses.add(d);
            siteRecovery.close();
        };

        freezer.freeze(DATA, Duration.ofSeconds(60)).thaw();

        assertEquals(List.of(Duration.ofSeconds(1)), pauses);
        assertEquals(List.of("freeze 1", "thaw"), events);
    }

    @Test
    void freeze_makesTheLockDirectoryRootOnlyAndTheLockFileReadableByItsOwnerOnly() throws Exception {
        freezer().freeze(DATA, Duration.ofSeconds(60)).thaw();

        assertEquals("rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(siteRecoveryFile().getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(siteRecoveryFile())));
        assertTrue(Files.exists(siteRecoveryFile()),
                "the file stays: deleting a lock file lets two processes lock two files");
    }

    @Test
    void freeze_whenTheLockDirectoryIsASymbolicLink_freezesNothingAndFollowsNothing() throws Exception {
        ExclusiveFreezer freezer = freezer();
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(siteRecoveryFile().getParent(), elsewhere);

        HandlerException e = assertThrows(HandlerException.class, () -> freezer.freeze(DATA, Duration.ofSeconds(60)));

        assertEquals(ErrorCode.FS_FREEZE_FAILED, e.errorCode());
        assertTrue(e.detail().contains("symbolic link"), e.detail());
        assertEquals(List.of(), events);
        try (var files = Files.list(elsewhere)) {
            assertEquals(0, files.count(), "nothing made through the link");
        }
    }

    @Test
    void freeze_whenTheLockFileIsASymbolicLink_freezesNothing() throws Exception {
        ExclusiveFreezer freezer = freezer();
        Files.createDirectories(siteRecoveryFile().getParent());
        Path target = dir.resolve("target");
        Files.createSymbolicLink(siteRecoveryFile(), target);

        HandlerException e = assertThrows(HandlerException.class, () -> freezer.freeze(DATA, Duration.ofSeconds(60)));

        assertTrue(e.detail().contains("symbolic link"), e.detail());
        assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of(), events);
    }

    /** As upstream: only a lock that someone holds stops the freeze; one that cannot be made does not. */
    @Test
    void freeze_whenTheLockFileCannotBeMade_freezesWithoutIt() throws Exception {
        Files.writeString(configDir(), "a file where the directory should be");
        ExclusiveFreezer freezer = new ExclusiveFreezer(helper, new SafeFreezeLock(configDir(),
                SafeFreezeLock.UPSTREAM_PAUSES, pauses::add), recordLock(), Duration.ofSeconds(2));

        freezer.freeze(DATA, Duration.ofSeconds(60)).thaw();

        assertEquals(List.of("freeze 1", "thaw"), events);
        assertEquals(List.of(), pauses, "no retries for a file that cannot be made");
    }

    @Test
    void freeze_whenTheFreezeFails_releasesBothLocksAtOnce() throws Exception {
        freezeFailure = new HandlerException(ErrorCode.FS_FREEZE_FAILED, "cannot freeze /data");

        HandlerException e = assertThrows(HandlerException.class, () -> freezer().freeze(DATA, Duration.ofSeconds(60)));

        assertSame(freezeFailure, e);
        assertFree(siteRecoveryFile());
        assertFree(recordLock().file());
    }

    /** A start's recovery holds the record lock while it thaws: the freeze waits for it, then goes on. */
    @Test
    void freeze_whileAnotherProcessHoldsTheRecordLockLongerThanTheWait_freezesNothing() throws Exception {
        ExclusiveFreezer freezer = freezer();
        Files.createDirectories(recordLock().file().getParent());
        HandlerException e;
        try (ChildLockHolder recovery = new ChildLockHolder(recordLock().file(), false)) {
            e = assertThrows(HandlerException.class, () -> freezer.freeze(DATA, Duration.ofSeconds(60)));
        }

        assertEquals(ErrorCode.FS_FREEZE_FAILED, e.errorCode());
        assertTrue(e.detail().contains("stayed busy") && e.detail().contains("nothing was frozen"), e.detail());
        assertEquals(List.of(), events);
        assertFree(siteRecoveryFile());
    }

    @Test
    void freeze_ofNoMounts_takesNoLock() throws Exception {
        freezer().freeze(List.of(), Duration.ofSeconds(60)).thaw();

        assertFalse(Files.exists(siteRecoveryFile().getParent()));
        assertFalse(Files.exists(recordLock().file()));
    }
}

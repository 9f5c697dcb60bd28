package io.vmsnapshot.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerLockTest {
    @TempDir
    Path dir;

    private Path lockFile() {
        return dir.resolve("state").resolve("worker.lock");
    }

    @Test
    void tryAcquire_createsTheFolderAndWritesTheHoldersPid() throws Exception {
        try (WorkerLock lock = WorkerLock.tryAcquire(lockFile(), 4242).orElseThrow()) {
            assertEquals("4242", Files.readString(lockFile()));
        }
    }

    @Test
    void tryAcquire_whileHeld_isEmptyAndLeavesTheHoldersPid() throws Exception {
        try (WorkerLock lock = WorkerLock.tryAcquire(lockFile(), 11).orElseThrow()) {
            assertEquals(Optional.empty(), WorkerLock.tryAcquire(lockFile(), 22));
            assertEquals("11", Files.readString(lockFile()));
        }
    }

    @Test
    void tryAcquire_afterClose_succeedsAgainAndReplacesALongerPid() throws Exception {
        WorkerLock.tryAcquire(lockFile(), 123456).orElseThrow().close();
        try (WorkerLock lock = WorkerLock.tryAcquire(lockFile(), 7).orElseThrow()) {
            assertEquals("7", Files.readString(lockFile()));
        }
    }

    @Test
    void holder_withoutALockFile_isEmpty() throws Exception {
        assertEquals(OptionalLong.empty(), WorkerLock.holder(lockFile()));
    }

    @Test
    void holder_whenTheFileRemainsButNobodyHoldsIt_isEmpty() throws Exception {
        WorkerLock.tryAcquire(lockFile(), 99).orElseThrow().close();
        assertEquals(OptionalLong.empty(), WorkerLock.holder(lockFile()));
    }

    @Test
    void holder_whileHeldInThisJvm_isTheRecordedPid() throws Exception {
        try (WorkerLock lock = WorkerLock.tryAcquire(lockFile(), 31337).orElseThrow()) {
            assertEquals(OptionalLong.of(31337), WorkerLock.holder(lockFile()));
        }
    }

    @Test
    void holder_whileAnotherProcessHoldsIt_isThatProcess() throws Exception {
        try (ChildLockHolder child = new ChildLockHolder(lockFile(), false)) {
            assertEquals(OptionalLong.of(child.pid()), WorkerLock.holder(lockFile()));
            assertEquals(Optional.empty(), WorkerLock.tryAcquire(lockFile(), 1));
        }
    }

    @Test
    void holder_whenTheHolderWasKilled_isEmpty_theKernelReleasedIt() throws Exception {
        ChildLockHolder child = new ChildLockHolder(lockFile(), false);
        child.close();
        assertEquals(OptionalLong.empty(), WorkerLock.holder(lockFile()));
        assertTrue(WorkerLock.tryAcquire(lockFile(), 1).isPresent());
    }
}

package io.vmsnapshot.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import io.vmsnapshot.worker.ChildLockHolder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreezeRecoveryTest {
    private static final long PID = 777;

    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path helper = fs.getPath("/ext/bin/vmsnapshot-freeze");
    private final Path proc = fs.getPath("/proc");
    private final FreezeRecordStore records = new FreezeRecordStore(fs.getPath("/run/vmsnapshot"));
    private final List<List<String>> launched = new ArrayList<>();
    private final FakeHelperProcess process = new FakeHelperProcess(900);
    private final FreezeRecovery recovery = new FreezeRecovery(records, proc, helper, argv -> {
        launched.add(argv);
        return process;
    }, Duration.ofSeconds(5));

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(helper.getParent());
        Files.createFile(helper);
        Files.createDirectories(proc);
    }

    private void helperProcessRunning(long startTicks) throws Exception {
        Files.createDirectories(proc.resolve(Long.toString(PID)));
        Files.writeString(proc.resolve(PID + "/stat"), PID + " (vmsnapshot-free) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 "
                + startTicks + " 1000 10\n");
    }

    private void recordFreeze() throws Exception {
        records.write(new FreezeRecord(PID, 5000, "2026-03-01T10:00:00Z", List.of("/data", "/srv")));
    }

    @Test
    void recover_whenNoRecord_startsNothing() throws Exception {
        assertEquals(List.of(), recovery.recover());
        assertTrue(launched.isEmpty());
    }

    @Test
    void recover_whenHelperStillRunning_leavesItsFreezeAlone() throws Exception {
        recordFreeze();
        helperProcessRunning(5000);

        assertEquals(List.of(), recovery.recover());
        assertTrue(launched.isEmpty());
        assertTrue(Files.exists(records.file()));
    }

    @Test
    void recover_whenHelperGone_thawsRecordedMountsAndDeletesRecord() throws Exception {
        recordFreeze();
        process.emit("thawing recovery", "thawed /srv", "not-frozen /data", "done 2 0").exit(0);

        List<Path> thawed = recovery.recover();

        assertEquals(List.of(List.of(helper.toString(), "--thaw", "/data", "/srv")), launched);
        assertEquals(List.of(fs.getPath("/srv")), thawed);
        assertFalse(Files.exists(records.file()));
    }

    @Test
    void recover_whenPidNowBelongsToAnotherProcess_thaws() throws Exception {
        recordFreeze();
        helperProcessRunning(9999);
        process.emit("thawing recovery", "thawed /srv", "thawed /data", "done 2 0").exit(0);

        assertEquals(2, recovery.recover().size());
    }

    @Test
    void recover_whenAThawFails_throwsAndKeepsRecordForTheNextStart() throws Exception {
        recordFreeze();
        process.emit("thawing recovery", "thaw-failed /srv Input/output error", "thawed /data", "done 1 1").exit(13);

        HandlerException e = assertThrows(HandlerException.class, recovery::recover);

        assertEquals(ErrorCode.FS_FREEZE_FAILED, e.errorCode());
        assertTrue(e.detail().contains("/srv (Input/output error)"), e.detail());
        assertTrue(Files.exists(records.file()));
    }

    @Test
    void recover_whenHelperMissing_failsWithHelperNotFoundNamingTheMounts() throws Exception {
        recordFreeze();
        Files.delete(helper);

        HandlerException e = assertThrows(HandlerException.class, recovery::recover);

        assertEquals(ErrorCode.FS_FREEZE_HELPER_NOT_FOUND, e.errorCode());
        assertTrue(e.detail().contains("[/data, /srv]"), e.detail());
    }

    @Test
    void recover_whenRecordIsCorrupt_failsNamingTheFile() throws Exception {
        Files.createDirectories(records.file().getParent());
        Files.writeString(records.file(), "{not json");

        HandlerException e = assertThrows(HandlerException.class, recovery::recover);

        assertTrue(e.detail().contains(records.file().toString()), e.detail());
    }

    private void processRunning(long startTicks, String... argv) throws Exception {
        helperProcessRunning(startTicks);
        Files.write(proc.resolve(PID + "/cmdline"), (String.join("\0", argv) + "\0").getBytes(StandardCharsets.UTF_8));
    }

    private void recordFreezeWithUnknownStartTime() throws Exception {
        records.write(new FreezeRecord(PID, 0, "2026-03-01T10:00:00Z", List.of("/data", "/srv")));
    }

    /** Start time 0: the pid alone cannot tell the helper from a later process that got it. */
    @Test
    void recover_withUnknownStartTime_aStrangerWithThePidDoesNotCountAsTheHelper() throws Exception {
        recordFreezeWithUnknownStartTime();
        processRunning(12345, "/usr/sbin/sshd", "-D");
        process.emit("thawing recovery", "thawed /srv", "thawed /data", "done 2 0").exit(0);

        assertEquals(2, recovery.recover().size());
        assertFalse(Files.exists(records.file()));
    }

    @Test
    void recover_withUnknownStartTime_theHelperItselfStillCountsAsRunning() throws Exception {
        recordFreezeWithUnknownStartTime();
        processRunning(12345, helper.toString(), "60", "/data", "/srv");

        assertEquals(List.of(), recovery.recover());
        assertTrue(launched.isEmpty());
        assertTrue(Files.exists(records.file()));
    }

    @Test
    void recover_withUnknownStartTime_aHelperForOtherMountsDoesNotCount() throws Exception {
        recordFreezeWithUnknownStartTime();
        processRunning(12345, helper.toString(), "--thaw", "/var");
        process.emit("thawing recovery", "not-frozen /srv", "not-frozen /data", "done 0 0").exit(0);

        recovery.recover();

        assertEquals(1, launched.size());
        assertFalse(Files.exists(records.file()));
    }

    /** A record written meanwhile (by a writer that took no lock) is someone else's: it stays. */
    @Test
    void recover_deletesTheRecordOnlyIfItStillNamesTheSameHelper() throws Exception {
        recordFreeze();
        FreezeRecord newer = new FreezeRecord(888, 6000, "2026-03-01T10:05:00Z", List.of("/data"));
        FreezeRecovery racing = new FreezeRecovery(records, proc, helper, argv -> {
            try {
                records.write(newer);
            } catch (HandlerException e) {
                throw new java.io.IOException(e);
            }
            return process;
        }, Duration.ofSeconds(5));
        process.emit("thawing recovery", "thawed /srv", "thawed /data", "done 2 0").exit(0);

        racing.recover();

        assertEquals(newer, records.read().orElseThrow());
    }

    /**
     * A worker in its freeze window holds the record lock (another process here): a start at that
     * moment, `check` or `disable` too, thaws nothing and deletes nothing, even when the record's
     * helper looks dead to it.
     */
    @Test
    void recover_whileAnotherProcessHoldsTheRecordLock_thawsNothingAndKeepsTheRecord(@TempDir Path dir)
            throws Exception {
        FreezeRecordStore onDisk = new FreezeRecordStore(dir.resolve("run"));
        onDisk.write(new FreezeRecord(PID, 5000, "2026-03-01T10:00:00Z", List.of("/data")));
        FreezeRecovery concurrent = new FreezeRecovery(onDisk, dir.resolve("proc"), helper, argv -> {
            launched.add(argv);
            return process;
        }, Duration.ofSeconds(5));

        try (ChildLockHolder worker = new ChildLockHolder(onDisk.lock().file(), false)) {
            assertEquals(List.of(), concurrent.recover());
        }

        assertTrue(launched.isEmpty(), "no thaw started");
        assertTrue(Files.exists(onDisk.file()), "the record is kept");
    }

    /** The kernel drops a dead holder's lock: the next start recovers at once. */
    @Test
    void recover_afterTheLockHolderDied_thawsAndDeletes(@TempDir Path dir) throws Exception {
        FreezeRecordStore onDisk = new FreezeRecordStore(dir.resolve("run"));
        onDisk.write(new FreezeRecord(PID, 5000, "2026-03-01T10:00:00Z", List.of("/data")));
        FreezeRecovery next = new FreezeRecovery(onDisk, dir.resolve("proc"), helper, argv -> {
            launched.add(argv);
            return process;
        }, Duration.ofSeconds(5));
        process.emit("thawing recovery", "thawed /data", "done 1 0").exit(0);
        new ChildLockHolder(onDisk.lock().file(), false).close();

        assertEquals(1, next.recover().size());
        assertFalse(Files.exists(onDisk.file()));
    }

    @Test
    void recover_withoutARecord_makesNoLockFile() throws Exception {
        recovery.recover();

        assertFalse(Files.exists(records.lock().file()));
    }
}

package io.vmsnapshot.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HelperFreezerTest {
    private static final long PID = 4242;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path helper = fs.getPath("/ext/bin/vmsnapshot-freeze");
    private final Path proc = fs.getPath("/proc");
    private final FreezeRecordStore records = new FreezeRecordStore(fs.getPath("/run/vmsnapshot"));
    private final List<List<String>> launched = new ArrayList<>();
    private final FakeHelperProcess process = new FakeHelperProcess(PID);
    /** What {@code vmsnapshot-freeze --thaw} launched around a lost helper answers. */
    private final FakeHelperProcess thawOnly = new FakeHelperProcess(PID + 1);
    private final List<Mount> mounts = List.of(mount("/data"), mount("/"));

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(helper.getParent());
        Files.createFile(helper);
        Files.createDirectories(proc.resolve(Long.toString(PID)));
        helperState("S");
    }

    /** The helper's state in /proc/PID/stat: S sleeping, T stopped. */
    private void helperState(String state) throws IOException {
        Files.writeString(proc.resolve(PID + "/stat"), PID + " (vmsnapshot-free) " + state
                + " 1 1 1 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 987654 1000 10\n");
    }

    private List<List<String>> thawOnlyLaunches() {
        synchronized (launched) {
            return launched.stream().filter(argv -> argv.get(1).equals("--thaw")).toList();
        }
    }

    private HelperFreezer freezer(Duration freezeWait) {
        return new HelperFreezer(helper, argv -> {
            synchronized (launched) {
                launched.add(argv);
            }
            return argv.get(1).equals("--thaw") ? thawOnly : process;
        }, records, proc, Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC),
                freezeWait, Duration.ofSeconds(5));
    }

    private static Mount mount(String path) {
        return new Mount("/dev/sda1", Jimfs.newFileSystem(Configuration.unix()).getPath(path), "ext4", "8:1");
    }

    private FakeHelperProcess helperThatFreezes() {
        return process.emit("ready 2")
                .on("freeze", "freezing /data", "freezing /", "frozen 2")
                .on("thaw", "thawing request", "thawed /", "thawed /data", "done 2 0")
                .exitOn("thaw", 0);
    }

    @Test
    void freeze_whenHelperFreezes_startsItWithTimeoutAndMountsInOrder() throws Exception {
        helperThatFreezes();

        try (FreezeSession session = freezer(Duration.ofSeconds(5)).freeze(mounts, TIMEOUT)) {
            assertEquals(List.of(List.of(helper.toString(), "60", "/data", "/")), launched);
            assertEquals(List.of("freeze"), process.received());
        }
    }

    @Test
    void freeze_whenHelperFreezes_writesRecordBeforeAskingForTheFreeze() throws Exception {
        helperThatFreezes();
        List<Boolean> recordExistedAtFreeze = new ArrayList<>();
        process.whenReceived("freeze", () -> recordExistedAtFreeze.add(Files.exists(records.file())));

        freezer(Duration.ofSeconds(5)).freeze(mounts, TIMEOUT);

        assertEquals(List.of(true), recordExistedAtFreeze);
        FreezeRecord record = records.read().orElseThrow();
        assertEquals(PID, record.helperPid());
        assertEquals(987654, record.helperStartTicks());
        assertEquals("2026-03-01T10:00:00Z", record.createdAt());
        assertEquals(List.of("/data", "/"), record.mountPoints());
    }

    @Test
    void thaw_whenHelperThawsOnRequest_isConsistentAndDeletesRecord() throws Exception {
        helperThatFreezes();
        FreezeSession session = freezer(Duration.ofSeconds(5)).freeze(mounts, TIMEOUT);

        ThawResult result = session.thaw();

        assertEquals(ThawTrigger.REQUEST, result.trigger());
        assertTrue(result.consistent(), result.summary());
        assertEquals(List.of("/", "/data"), result.mounts().stream().map(m -> m.mountPoint().toString()).toList());
        assertFalse(Files.exists(records.file()));
    }

    @Test
    void close_afterThaw_sendsThawOnlyOnce() throws Exception {
        helperThatFreezes();
        FreezeSession session = freezer(Duration.ofSeconds(5)).freeze(mounts, TIMEOUT);

        ThawResult first = session.thaw();
        session.close();

        assertEquals(List.of("freeze", "thaw"), process.received());
        assertEquals(first, session.thaw());
    }

    @Test
    void thaw_whenHelperAlreadyThawedOnItsTimeout_reportsTimeoutAsInconsistent() throws Exception {
        process.emit("ready 2").on("freeze", "frozen 2", "thawing timeout", "thawed /", "thawed /data", "done 2 0")
                .exitOn("freeze", 10);
        FreezeSession session = freezer(Duration.ofSeconds(5)).freeze(mounts, TIMEOUT);

        ThawResult result = session.thaw();

        assertEquals(ThawTrigger.TIMEOUT, result.trigger());
        assertFalse(result.consistent());
        assertTrue(result.allThawed());
        assertFalse(Files.exists(records.file()));
    }

    @Test
    void helperKilledWhileFrozen_isThawedAroundAtOnceFromANewProcess_beforeTheThawIsAsked() throws Exception {
        process.emit("ready 2").on("freeze", "freezing /data", "freezing /", "frozen 2");
        thawOnly.emit("thawing recovery", "thawed /", "thawed /data", "done 2 0").exit(0);
        FreezeSession session = freezer(Duration.ofSeconds(5)).freeze(mounts, TIMEOUT);

        process.exit(137);

        awaitThawOnlyLaunch();
        assertEquals(List.of(List.of(helper.toString(), "--thaw", "/data", "/")), thawOnlyLaunches());
        ThawResult result = session.thaw();
        assertEquals(ThawTrigger.HELPER_LOST, result.trigger());
        assertFalse(result.consistent());
        assertTrue(result.allThawed(), result.summary());
        assertTrue(result.summary().contains("/data=THAWED(by a new process)"), result.summary());
        assertEquals(1, thawOnlyLaunches().size(), "thawed around once");
        assertFalse(Files.exists(records.file()), "nothing can be frozen any more");
    }

    @Test
    void helperKilledHalfWayThroughItsThaw_onlyWhatItDidNotReportComesFromTheNewProcess() throws Exception {
        process.emit("ready 2").on("freeze", "frozen 2").on("thaw", "thawing request", "thawed /").exitOn("thaw", 137);
        thawOnly.emit("thawing recovery", "not-frozen /", "thawed /data", "done 2 0").exit(0);
        FreezeSession session = freezer(Duration.ofSeconds(5)).freeze(mounts, TIMEOUT);

        ThawResult result = session.thaw();

        assertEquals(ThawTrigger.HELPER_LOST, result.trigger());
        assertEquals(List.of(new MountThaw(fs.getPath("/"), MountThaw.Outcome.THAWED, ""),
                new MountThaw(fs.getPath("/data"), MountThaw.Outcome.THAWED, "by a new process")).toString(),
                result.mounts().toString());
    }

    @Test
    void stoppedHelper_isThawedAroundAtTheThawWithoutWaitingTheThawWait_thenKilled() throws Exception {
        process.emit("ready 2").on("freeze", "frozen 2").ignoreTerm();
        thawOnly.emit("thawing recovery", "thawed /", "thawed /data", "done 2 0").exit(0);
        FreezeSession session = new HelperFreezer(helper, argv -> {
            synchronized (launched) {
                launched.add(argv);
            }
            return argv.get(1).equals("--thaw") ? thawOnly : process;
        }, records, proc, Clock.systemUTC(), Duration.ofSeconds(5), Duration.ofSeconds(600)).freeze(mounts, TIMEOUT);
        helperState("T");

        ThawResult result = session.thaw();

        assertEquals(ThawTrigger.HELPER_STOPPED, result.trigger());
        assertTrue(result.allThawed(), result.summary());
        assertEquals(List.of("freeze", "thaw"), process.received());
        assertTrue(process.killed(), "SIGKILL once every mount is thawed: a stopped helper would never end");
        assertFalse(Files.exists(records.file()));
    }

    @Test
    void thawAroundThatFails_keepsTheRecordForTheNextStart() throws Exception {
        process.emit("ready 2").on("freeze", "frozen 2");
        thawOnly.emit("thawing recovery", "thawed /", "thaw-failed /data Input/output error", "done 1 1").exit(13);
        FreezeSession session = freezer(Duration.ofSeconds(5)).freeze(mounts, TIMEOUT);
        process.exit(137);

        ThawResult result = session.thaw();

        assertEquals(ThawTrigger.HELPER_LOST, result.trigger());
        assertFalse(result.allThawed());
        assertTrue(result.summary().contains("/data=FAILED(Input/output error)"), result.summary());
        assertTrue(Files.exists(records.file()));
    }

    @Test
    void helperThatThawedOnASignal_isNotThawedAround() throws Exception {
        process.emit("ready 2").on("freeze", "frozen 2", "thawing signal-PWR", "thawed /", "thawed /data", "done 2 0")
                .exitOn("freeze", 12);
        FreezeSession session = freezer(Duration.ofSeconds(5)).freeze(mounts, TIMEOUT);

        ThawResult result = session.thaw();

        assertEquals(ThawTrigger.SIGNAL, result.trigger());
        assertTrue(result.allThawed());
        assertEquals(List.of(), thawOnlyLaunches());
    }

    @Test
    void freezeThatHangs_thawsTheMountsFrozenBeforeItFromANewProcessAndFails122NamingIt() {
        List<Mount> dataThenLogs = List.of(mount("/data"), mount("/var/log"));
        process.emit("ready 2").on("freeze", "freezing /data", "freezing /var/log").ignoreTerm();
        thawOnly.emit("thawing recovery", "thawed /data", "done 1 0").exit(0);

        HandlerException e = assertThrows(HandlerException.class,
                () -> freezer(Duration.ofMillis(300)).freeze(dataThenLogs, TIMEOUT));

        assertEquals(ErrorCode.FS_FREEZE_TIMEOUT, e.errorCode());
        assertTrue(e.detail().startsWith("the freeze of /var/log did not return within 0 s"), e.detail());
        assertTrue(e.detail().contains("thawed [/data] from a new process"), e.detail());
        assertEquals(List.of(List.of(helper.toString(), "--thaw", "/data")), thawOnlyLaunches(),
                "never the hung mount: its FITHAW would hang behind the FIFREEZE");
        assertTrue(process.stdinClosed() && process.destroyed(), "told to end: it thaws once its freeze returns");
        assertFalse(process.killed(), "SIGKILL would leave the hung mount frozen when its freeze returns");
        assertTrue(Files.exists(records.file()), "the hung mount may still freeze: the record stays");
    }

    @Test
    void helperStoppedWhileFreezing_thawsUpToTheMountItWasFreezing() throws Exception {
        List<Mount> three = List.of(mount("/a"), mount("/b"), mount("/c"));
        process.emit("ready 3").on("freeze", "freezing /a", "freezing /b").ignoreTerm();
        thawOnly.emit("thawing recovery", "thawed /b", "thawed /a", "done 2 0").exit(0);
        process.whenReceived("freeze", () -> {
            try {
                helperState("T");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });

        HandlerException e = assertThrows(HandlerException.class,
                () -> freezer(Duration.ofMillis(300)).freeze(three, TIMEOUT));

        assertEquals(ErrorCode.FS_FREEZE_TIMEOUT, e.errorCode());
        assertEquals(List.of(List.of(helper.toString(), "--thaw", "/a", "/b")), thawOnlyLaunches());
        assertTrue(process.killed());
        assertFalse(Files.exists(records.file()), e.detail());
    }

    private void awaitThawOnlyLaunch() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (thawOnlyLaunches().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void thaw_whenAMountWasThawedBySomeoneElse_isNotConsistentButAllThawed() throws Exception {
        process.emit("ready 2").on("freeze", "frozen 2")
                .on("thaw", "thawing request", "thawed /", "not-frozen /data", "done 2 0").exitOn("thaw", 0);
        FreezeSession session = freezer(Duration.ofSeconds(5)).freeze(mounts, TIMEOUT);

        ThawResult result = session.thaw();

        assertFalse(result.consistent());
        assertTrue(result.allThawed());
    }

    @Test
    void freeze_whenHelperCannotOpenAMount_failsWithUnableToOpenMount() {
        process.emit("error 123 /data No such file or directory");
        process.exit(123);

        HandlerException e = assertThrows(HandlerException.class,
                () -> freezer(Duration.ofSeconds(5)).freeze(mounts, TIMEOUT));

        assertEquals(ErrorCode.FS_UNABLE_TO_OPEN_MOUNT, e.errorCode());
        assertTrue(e.detail().contains("/data"), e.detail());
        assertFalse(Files.exists(records.file()));
    }

    @Test
    void freeze_whenFreezingAMountFails_failsWithFreezeFailedAfterTheHelperThawedTheRest() {
        process.emit("ready 2").on("freeze", "error 121 / Device or resource busy", "thawing freeze-failed",
                "thawed /data", "done 1 0").exitOn("freeze", 121);

        HandlerException e = assertThrows(HandlerException.class,
                () -> freezer(Duration.ofSeconds(5)).freeze(mounts, TIMEOUT));

        assertEquals(ErrorCode.FS_FREEZE_FAILED, e.errorCode());
        assertEquals("cannot freeze /: Device or resource busy", e.detail());
        assertFalse(Files.exists(records.file()));
    }

    @Test
    void freeze_whenHelperNeverStartsToFreeze_failsWithTimeoutStopsHelperAndNeedsNoThaw() {
        process.emit("ready 2");

        HandlerException e = assertThrows(HandlerException.class,
                () -> freezer(Duration.ofMillis(300)).freeze(mounts, TIMEOUT));

        assertEquals(ErrorCode.FS_FREEZE_TIMEOUT, e.errorCode());
        assertTrue(process.stdinClosed());
        assertTrue(process.destroyed());
        assertEquals(List.of(), thawOnlyLaunches(), "no 'freezing' line: nothing was frozen");
    }

    @Test
    void freeze_whenHelperNeverGetsReady_failsWithTimeout() {
        HandlerException e = assertThrows(HandlerException.class,
                () -> freezer(Duration.ofMillis(200)).freeze(mounts, TIMEOUT));

        assertEquals(ErrorCode.FS_FREEZE_TIMEOUT, e.errorCode());
        assertTrue(process.destroyed());
    }

    @Test
    void freeze_whenHelperBinaryIsMissing_failsWithHelperNotFound() throws IOException {
        Files.delete(helper);

        HandlerException e = assertThrows(HandlerException.class,
                () -> freezer(Duration.ofSeconds(5)).freeze(mounts, TIMEOUT));

        assertEquals(ErrorCode.FS_FREEZE_HELPER_NOT_FOUND, e.errorCode());
        assertTrue(launched.isEmpty());
    }

    @Test
    void freeze_whenHelperCannotStart_failsWithHelperNotFound() {
        HelperFreezer freezer = new HelperFreezer(helper, argv -> {
            throw new IOException("error=8, Exec format error");
        }, records, proc, Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofSeconds(1));

        HandlerException e = assertThrows(HandlerException.class, () -> freezer.freeze(mounts, TIMEOUT));

        assertEquals(ErrorCode.FS_FREEZE_HELPER_NOT_FOUND, e.errorCode());
    }

    @Test
    void freeze_whenNoMounts_startsNoHelperAndThawsConsistently() throws Exception {
        FreezeSession session = freezer(Duration.ofSeconds(1)).freeze(List.of(), TIMEOUT);

        assertTrue(launched.isEmpty());
        assertEquals(ThawTrigger.NOTHING_FROZEN, session.thaw().trigger());
        assertTrue(session.thaw().consistent());
    }

    @Test
    void freeze_roundsTimeoutUpToWholeSeconds() throws Exception {
        helperThatFreezes();

        freezer(Duration.ofSeconds(5)).freeze(mounts, Duration.ofMillis(1500)).close();

        assertEquals("2", launched.get(0).get(1));
    }
}

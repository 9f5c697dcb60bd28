package io.vmsnapshot.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VmBackupConfTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path configDir = fs.getPath("/etc/azure");

    private Set<Path> read(String content) throws Exception {
        Files.createDirectories(configDir);
        Files.writeString(configDir.resolve("vmbackup.conf"), content);
        return new VmBackupConf(configDir).read();
    }

    @Test
    void read_whenFileMissing_skipsNothing() throws Exception {
        assertEquals(Set.of(), new VmBackupConf(configDir).read());
    }

    @Test
    void read_takesCommaSeparatedMountPointsFromSnapshotThread() throws Exception {
        assertEquals(Set.of(fs.getPath("/mnt/resource"), fs.getPath("/data")),
                read("[SnapshotThread]\nfsfreeze: True\nMountsToSkip = /mnt/resource, /data/\n"
                        + "SafeFreezeWaitInSeconds=600\n"));
    }

    @Test
    void read_acceptsColonSeparatorAndAnyKeyCase() throws Exception {
        assertEquals(Set.of(fs.getPath("/x")), read("# comment\n[SnapshotThread]\nmountstoskip: /x\n"));
    }

    @Test
    void read_ignoresTheKeyInOtherSections() throws Exception {
        assertEquals(Set.of(), read("[Monitor]\nMountsToSkip = /x\n[SnapshotThread]\ntimeout = 60\n"));
    }

    @Test
    void read_whenValueEmpty_skipsNothing() throws Exception {
        assertEquals(Set.of(), read("[SnapshotThread]\nMountsToSkip =\n"));
    }

    @Test
    void parse_readsEveryValueTheBackupUsesFromOneVersionOfTheFile() throws Exception {
        read("[SnapshotThread]\nMountsToSkip = /data\nSnapshotMethod = onlyHost\ntimeout = 3\ntimeout = 90\n");

        VmBackupSettings settings = new VmBackupConf(configDir).parse();

        assertEquals(Set.of(fs.getPath("/data")), settings.mountsToSkip());
        assertEquals(Optional.of("onlyHost"), settings.snapshotMethod());
        assertEquals(Optional.of(Duration.ofSeconds(90)), settings.freezeTimeout(), "the last occurrence wins");
    }

    @Test
    void parse_keepsTheAutoThawAtFiveSecondsOrMoreAndIgnoresWhatIsNotANumber() throws Exception {
        read("[SnapshotThread]\ntimeout = 2\n");
        assertEquals(Optional.of(Duration.ofSeconds(5)), new VmBackupConf(configDir).parse().freezeTimeout());

        read("[SnapshotThread]\ntimeout = soon\n");
        assertEquals(Optional.empty(), new VmBackupConf(configDir).parse().freezeTimeout());
    }

    @Test
    void parse_whenFileMissing_hasNoValues() throws Exception {
        assertEquals(VmBackupSettings.defaults(),
                new VmBackupConf(configDir).parse());
    }

    @Test
    void parse_whenTheFileIsNotUtf8_isTheDefaultWithAWarningNotAnError() throws Exception {
        Files.createDirectories(configDir);
        Files.write(configDir.resolve("vmbackup.conf"), "[SnapshotThread]\n# g\u00e9r\u00e9\ntimeout = 60\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        List<String> warnings = new ArrayList<>();

        Optional<Duration> timeout = new VmBackupConf(configDir, warnings::add).parse().freezeTimeout();

        assertEquals(Optional.empty(), timeout);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("is not UTF-8"), warnings.get(0));
    }

    @Test
    void read_whenTheFileCannotBeRead_skipsNothingWithAWarningNotAnError() throws Exception {
        Files.createDirectories(configDir.resolve("vmbackup.conf"));
        List<String> warnings = new ArrayList<>();

        Set<Path> skip = new VmBackupConf(configDir, warnings::add).read();

        assertEquals(Set.of(), skip);
        assertTrue(warnings.get(0).startsWith("cannot read /etc/azure/vmbackup.conf"), warnings.get(0));
    }

    /** The helper refuses more than a day: that used to be error 121 on every backup. */
    @Test
    void parse_aTimeoutBeyondWhatTheHelperAccepts_isClampedToOneDayWithAWarning() throws Exception {
        read("[SnapshotThread]\ntimeout = 90000\n");
        List<String> warnings = new ArrayList<>();

        Optional<Duration> timeout = new VmBackupConf(configDir, warnings::add).parse().freezeTimeout();

        assertEquals(Optional.of(VmBackupConf.MAX_FREEZE_TIMEOUT), timeout);
        assertEquals(Duration.ofSeconds(86_400), VmBackupConf.MAX_FREEZE_TIMEOUT);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("timeout = 90000") && warnings.get(0).contains("86400 s"),
                warnings.get(0));
        assertEquals(warnings, new VmBackupConf(configDir, w -> { }).parse().warnings(), "and in the status");
    }

    @Test
    void parse_safeFreezeWaitInSecondsIsHonouredSoCheckDoesNotCallItIgnored() throws Exception {
        read("[SnapshotThread]\nSafeFreezeWaitInSeconds = 120\n");

        assertEquals(List.of(), new VmBackupConf(configDir).parse().notes());
    }

    @Test
    void parse_aTimeoutTooLargeForANumber_isStillOneDay() throws Exception {
        read("[SnapshotThread]\ntimeout = 99999999999999999999999999999999\n");

        assertEquals(Optional.of(VmBackupConf.MAX_FREEZE_TIMEOUT), new VmBackupConf(configDir, w -> { }).parse()
                .freezeTimeout());
    }

    @Test
    void parse_aTimeoutOfExactlyOneDay_isKeptWithoutAWarning() throws Exception {
        read("[SnapshotThread]\ntimeout = 86400\n");
        List<String> warnings = new ArrayList<>();

        assertEquals(Optional.of(Duration.ofSeconds(86_400)), new VmBackupConf(configDir, warnings::add).parse()
                .freezeTimeout());
        assertEquals(List.of(), warnings);
    }

    @Test
    void parse_readsSafeFreezeWaitInSecondsInAnyKeyCase() throws Exception {
        read("[SnapshotThread]\nsafefreezewaitinseconds = 120\n");

        assertEquals(Optional.of(Duration.ofSeconds(120)), new VmBackupConf(configDir).parse().safeFreezeWait());
    }

    @Test
    void parse_aSafeFreezeWaitThatIsZeroOrNotANumber_isTheDefault() throws Exception {
        read("[SnapshotThread]\nSafeFreezeWaitInSeconds = 0\n");
        assertEquals(Optional.empty(), new VmBackupConf(configDir).parse().safeFreezeWait());
        read("[SnapshotThread]\nSafeFreezeWaitInSeconds = -5\n");
        assertEquals(Optional.empty(), new VmBackupConf(configDir).parse().safeFreezeWait());
        read("[SnapshotThread]\nSafeFreezeWaitInSeconds = long\n");
        assertEquals(Optional.empty(), new VmBackupConf(configDir).parse().safeFreezeWait());
    }

    @Test
    void parse_whenTheFileIsUnreadable_carriesTheWarningForTheStatus() throws Exception {
        Files.createDirectories(configDir.resolve("vmbackup.conf"));

        VmBackupSettings settings = new VmBackupConf(configDir, warning -> { }).parse();

        assertEquals(1, settings.warnings().size());
        assertTrue(settings.warnings().get(0).startsWith("cannot read /etc/azure/vmbackup.conf"));
        assertTrue(settings.uploadStatusAndLog());
    }

    @Test
    void parse_uploadStatusAndLogFalse_turnsTheBlobsOffAsUpstreamAndCheckSaysSo() throws Exception {
        read("[SnapshotThread]\nUploadStatusAndLog = False\n");

        VmBackupSettings settings = new VmBackupConf(configDir).parse();

        assertEquals(false, settings.uploadStatusAndLog());
        assertTrue(settings.notes().get(0).contains("status and logs blobs are not uploaded"), settings.notes().get(0));
    }

    @Test
    void parse_uploadStatusAndLogInAnyCaseOfTrue_keepsTheBlobs() throws Exception {
        read("[SnapshotThread]\nUploadStatusAndLog = true\n");

        assertTrue(new VmBackupConf(configDir).parse().uploadStatusAndLog());
        assertEquals(List.of(), new VmBackupConf(configDir).parse().notes());
    }

    @Test
    void parse_keysUpstreamWroteItselfAndLoggingKeys_areNamedAsIgnoredWithWhy() throws Exception {
        read("[SnapshotThread]\nseqsnapshot = 1\nWriteLog = False\nLoggingOff: 1\nMountsToSkip = /mnt\nfrobnicate = 2\n");

        List<String> notes = new VmBackupConf(configDir).parse().notes();

        assertEquals(4, notes.size(), notes.toString());
        assertTrue(notes.get(0).startsWith("vmbackup.conf: frobnicate = 2 is ignored: this extension does not know"));
        assertTrue(notes.get(1).startsWith("vmbackup.conf: loggingoff = 1 is ignored: the extension log is always"));
        assertTrue(notes.get(2).startsWith("vmbackup.conf: seqsnapshot = 1 is ignored: guest snapshots"));
        assertTrue(notes.get(3).startsWith("vmbackup.conf: writelog = False is ignored"));
    }
}

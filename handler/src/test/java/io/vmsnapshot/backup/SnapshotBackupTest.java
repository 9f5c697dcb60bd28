package io.vmsnapshot.backup;

import io.vmsnapshot.report.BackupOutcome;
import io.vmsnapshot.report.BlobUploader;
import io.vmsnapshot.report.OutcomeReporter;
import io.vmsnapshot.report.TaskRegistry;
import static io.vmsnapshot.backup.BackupFixtures.DATA;
import static io.vmsnapshot.backup.BackupFixtures.NOW;
import static io.vmsnapshot.backup.BackupFixtures.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.backup.BackupFixtures.Events;
import io.vmsnapshot.backup.BackupFixtures.FakeFreezer;
import io.vmsnapshot.backup.BackupFixtures.FakePluginHost;
import io.vmsnapshot.backup.BackupFixtures.FakeSnapshotTaker;
import io.vmsnapshot.backup.BackupFixtures.RecordingLogHold;
import io.vmsnapshot.backup.BackupFixtures.Request;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.freeze.MountThaw;
import io.vmsnapshot.freeze.ThawResult;
import io.vmsnapshot.freeze.ThawTrigger;
import io.vmsnapshot.freeze.VmBackupConf;
import io.vmsnapshot.logging.Redactor;
import io.vmsnapshot.prepost.PhaseResult;
import io.vmsnapshot.prepost.Precheck;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import io.vmsnapshot.snapshot.RetryPolicy;
import io.vmsnapshot.status.StatusType;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SnapshotBackupTest {
    private final ObjectMapper json = new ObjectMapper();
    private final Events events = new Events();
    private final FakePluginHost host = new FakePluginHost(events);
    private final FakeFreezer freezer = new FakeFreezer(events);
    private final FakeSnapshotTaker snapshotter = new FakeSnapshotTaker(events);
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final Request request = new Request();
    private FileSystem fs;
    private Path configDir;
    private BlobSink blobs;
    private int pluginHostLoads;
    private final List<Duration> sleeps = new ArrayList<>();
    private boolean blobUploads = true;

    @BeforeEach
    void setUp() throws IOException {
        fs = Jimfs.newFileSystem(Configuration.unix());
        configDir = Files.createDirectories(fs.getPath("/etc/azure"));
        blobs = new BlobSink(events::add);
        request.statusBlobUri = blobs.uri("status");
        request.logsBlobUri = blobs.uri("logs");
    }

    @AfterEach
    void tearDown() throws IOException {
        blobs.close();
        fs.close();
    }

    /** How the storage calls went out, as the wiring tells the reporter. */
    private Map<String, String> connection = Map.of();

    private BackupOutcome run() throws IOException {
        return run(new Cancellation());
    }

    private BackupOutcome run(Cancellation cancellation) throws IOException {
        BackupServices services = new BackupServices(() -> {
            pluginHostLoads++;
            return host;
        }, mountsToSkip -> {
            events.add("mounts");
            return List.of(DATA, ROOT);
        }, freezer, snapshotter, new RecordingLogHold(events), new VmBackupConf(configDir), clock);
        // The flow and what the worker's job does around it (without the journal): the interim status
        // blob first, the outcome's blobs after; the assertions read the uploads.
        OutcomeReporter reporter = new OutcomeReporter(
                new BlobUploader(HttpClient.newHttpClient(), new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(4),
                        Duration.ofSeconds(5), 1), sleeps::add, () -> 0.5, new Redactor()),
                new TaskRegistry(fs.getPath("/state/tasks.json")), () -> List.of("line one", "line two"), "machine-1",
                "1.0.9300.0", clock, () -> blobUploads, () -> connection);
        BackupRequest backupRequest = request.request();
        reporter.transitioning(backupRequest);
        return reporter.upload(backupRequest, new SnapshotBackup(services).run(backupRequest, cancellation));
    }

    private JsonNode finalBlobStatus() throws IOException {
        List<BlobSink.Upload> uploads = blobs.uploads("/status");
        return json.readTree(uploads.get(uploads.size() - 1).body()).get(0).get("status");
    }

    private static Map<String, String> telemetry(JsonNode status) {
        Map<String, String> telemetry = new LinkedHashMap<>();
        status.get("telemetryData").forEach(e -> telemetry.put(e.get("Key").asText(), e.get("Value").asText()));
        return telemetry;
    }

    private io.vmsnapshot.error.Messages messages() {
        return io.vmsnapshot.error.Messages.forLocale(request.locale);
    }

    private String postOutcome() {
        return host.postContext().extraEnv().get(ScriptContext.SNAPSHOT_OUTCOME_ENV);
    }

    @Test
    void run_whenEverythingSucceeds_isApplicationConsistentAndRunsEachStepOnceInOrder() throws IOException {
        BackupOutcome outcome = run();

        assertEquals(StatusType.SUCCESS, outcome.status());
        assertEquals(ErrorCode.SUCCESS_APP_CONSISTENT, outcome.code());
        assertEquals(List.of("upload:/status", "precheck", "pre", "mounts", "prepare", "hold", "freeze", "snapshot",
                "thaw", "release", "post", "upload:/status", "upload:/logs"), events.all());
        assertEquals(List.of(DATA, ROOT), freezer.frozen);
        assertEquals("task-1", host.postContext().taskId());
        assertEquals("success", postOutcome());
        assertEquals("0", finalBlobStatus().get("code").asText());
    }

    @Test
    void run_holdsTheLogFromBeforeTheFreezeUntilAfterTheThawWithNoUploadInBetween() throws IOException {
        run();

        assertEquals(List.of("hold", "freeze", "snapshot", "thaw", "release"), events.between("hold", "release"));
    }

    @Test
    void run_preparesTheSnapshotBeforeTheFreezeAndTakesItOnceInsideTheWindow() throws IOException {
        run();

        List<String> all = events.all();
        assertTrue(all.indexOf("prepare") < all.indexOf("hold"), all.toString());
        assertEquals(List.of("freeze", "snapshot", "thaw"), events.between("freeze", "thaw"));
        assertEquals(1, snapshotter.takes);
        Map<String, String> telemetry = telemetry(finalBlobStatus());
        assertTrue(telemetry.containsKey("prepareMillis"), telemetry.toString());
    }

    @Test
    void run_whenTheHostsClockSaysTheCommandIsTooLate_neitherFreezesNorSnapshotsRunsPostAndReports402()
            throws IOException {
        request.ticks = Optional.of(BackupFixtures.ticks(NOW.minus(Duration.ofMinutes(139))));
        snapshotter.hostTime = Optional.of(NOW.plus(Duration.ofMinutes(2)));

        BackupOutcome outcome = run();

        assertEquals(ErrorCode.COMMAND_TOO_LATE, outcome.code());
        assertEquals(StatusType.ERROR, outcome.status());
        assertFalse(events.all().contains("hold"), events.all().toString());
        assertFalse(events.all().contains("freeze"));
        assertEquals(0, snapshotter.takes);
        assertEquals("skipped", postOutcome(), "the pre-scripts ran, so the post-scripts run too");
        assertTrue(outcome.message().contains("141 minutes ago by the host's clock"), outcome.message());
        assertEquals("402", finalBlobStatus().get("code").asText());
        assertEquals(402, finalBlobStatus().get("vmHealthInfo").get("vmHealthStatusCode").asInt());
    }

    @Test
    void run_whenTheHostsClockSaysInTimeThoughOursIsNearTheLimit_takesTheSnapshot() throws IOException {
        request.ticks = Optional.of(BackupFixtures.ticks(NOW.minus(Duration.ofMinutes(139))));
        snapshotter.hostTime = Optional.of(NOW.minus(Duration.ofMinutes(30)));

        assertEquals(ErrorCode.SUCCESS_APP_CONSISTENT, run().code());
        assertEquals(1, snapshotter.takes);
    }

    @Test
    void run_whenTheFreezeThrowsUnexpectedly_stillRunsPostReleasesTheLogAndReportsASystemError() throws IOException {
        freezer.unexpected = new IllegalStateException("helper pipe vanished");

        BackupOutcome outcome = run();

        assertEquals(List.of("hold", "freeze", "release"), events.between("hold", "release"));
        assertTrue(events.all().contains("post"), events.all().toString());
        assertFalse(events.all().contains("snapshot"));
        assertEquals(StatusType.ERROR, outcome.status());
        assertEquals(ErrorCode.SYSTEM_ERROR, outcome.code());
        assertEquals("2", finalBlobStatus().get("code").asText(), "the service learns the outcome from the blob");
        assertTrue(outcome.message().contains("helper pipe vanished"), outcome.message());
    }

    @Test
    void run_whenTheSnapshotterThrowsUnexpectedly_thawsRunsPostAndReportsASystemError() throws IOException {
        snapshotter.unexpected = new NullPointerException("no response");

        BackupOutcome outcome = run();

        assertEquals(1, freezer.thaws);
        assertEquals(List.of("hold", "freeze", "snapshot", "thaw", "release"), events.between("hold", "release"));
        assertTrue(events.all().indexOf("post") > events.all().indexOf("release"));
        assertEquals(ErrorCode.SYSTEM_ERROR, outcome.code());
    }

    @Test
    void run_whenTheSnapshotFails_thawsRunsPostToldFailedAndReportsTheSnapshotError() throws IOException {
        snapshotter.outcome = BackupFixtures.allFailed();

        BackupOutcome outcome = run();

        assertEquals(1, freezer.thaws);
        assertEquals("failed", postOutcome());
        assertEquals(StatusType.ERROR, outcome.status());
        assertEquals(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK, outcome.code());
    }

    @Test
    void run_whenStorageCannotBeReachedBehindAProxy_theStatusNamesTheProxyAndTheTelemetryTheRoute() throws IOException {
        snapshotter.outcome = BackupFixtures.allFailed();
        connection = Map.of(OutcomeReporter.STORAGE_PROXY, "https http://proxy.example:3128 (https_proxy), http direct",
                "caStore", "not loaded (no TLS call before this point)");

        BackupOutcome outcome = run();

        assertEquals(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK, outcome.code());
        assertTrue(outcome.message().contains("disk 1 failed. The storage calls went through the proxy: "
                + "https http://proxy.example:3128 (https_proxy), http direct."), outcome.message());
        assertEquals("https http://proxy.example:3128 (https_proxy), http direct",
                telemetry(finalBlobStatus()).get(OutcomeReporter.STORAGE_PROXY));
    }

    @Test
    void run_whenTheSnapshotSucceedsBehindAProxy_theMessageSaysNothingOfIt() throws IOException {
        connection = Map.of(OutcomeReporter.STORAGE_PROXY, "https http://proxy.example:3128 (https_proxy), http direct");

        BackupOutcome outcome = run();

        assertEquals(ErrorCode.SUCCESS_APP_CONSISTENT, outcome.code());
        assertFalse(outcome.message().contains("proxy"), outcome.message());
    }

    @Test
    void run_whenTheFreezeFailsWithoutCrashAllowance_skipsTheSnapshotAndTellsPostSkipped() throws IOException {
        freezer.failure = new HandlerException(ErrorCode.FS_FREEZE_FAILED, "/data: Device or resource busy");

        BackupOutcome outcome = run();

        assertFalse(events.all().contains("snapshot"));
        assertEquals("skipped", postOutcome());
        assertEquals(ErrorCode.FS_FREEZE_FAILED, outcome.code());
        assertTrue(outcome.message().contains("/data: Device or resource busy"), outcome.message());
    }

    @Test
    void run_whenTheFreezeFailsAndACrashConsistentSnapshotIsAllowed_snapshotsAnyway() throws IOException {
        freezer.failure = new HandlerException(ErrorCode.FS_FREEZE_TIMEOUT, "no answer from the helper");
        request.dataLuns = List.of(0);
        request.osDisk = false;
        request.customSettings = Optional.of("{\"isManagedVm\":true,\"canTakeCrashConsistentSnapshot\":true,"
                + "\"backupRetryCount\":1}");

        BackupOutcome outcome = run();

        assertTrue(events.all().contains("snapshot"));
        assertEquals(ErrorCode.SUCCESS, outcome.code());
        assertEquals(Consistency.CRASH.value(),
                json.readTree(finalBlobStatus().get("formattedMessage").get("message").asText())
                        .get("snapshotConsistency").asInt());
        assertEquals(122, finalBlobStatus().get("vmHealthInfo").get("vmHealthStatusCode").asInt());
    }

    @Test
    void run_whenTheThawSaysTheFreezeEndedEarly_failsWithTheFreezeTimeoutNotASnapshotError() throws IOException {
        freezer.thawResult = new ThawResult(ThawTrigger.TIMEOUT,
                List.of(new MountThaw(DATA.mountPoint(), MountThaw.Outcome.THAWED, "")), 60_000);

        BackupOutcome outcome = run();

        assertEquals(StatusType.ERROR, outcome.status());
        assertEquals(ErrorCode.FS_FREEZE_TIMEOUT, outcome.code());
    }

    @Test
    void run_whenCancelledBeforePre_isInterruptedAndRunsNoScriptAndNoFreeze() throws IOException {
        Cancellation cancellation = new Cancellation();
        cancellation.cancel();

        BackupOutcome outcome = run(cancellation);

        assertEquals(ErrorCode.BACKUP_INTERRUPTED, outcome.code());
        assertEquals(StatusType.ERROR, outcome.status());
        assertFalse(events.all().contains("pre"));
        assertFalse(events.all().contains("post"));
        assertFalse(events.all().contains("freeze"));
    }

    @Test
    void run_whenCancelledDuringPre_skipsTheFreezeButStillRunsPost() throws IOException {
        Cancellation cancellation = new Cancellation();
        host.duringPre = cancellation::cancel;
        BackupOutcome outcome = run(cancellation);

        assertEquals(ErrorCode.BACKUP_INTERRUPTED, outcome.code());
        assertTrue(events.all().contains("post"));
        assertFalse(events.all().contains("freeze"));
        assertEquals("skipped", postOutcome());
    }

    @Test
    void run_whenCancelledWhileTheSnapshotIsPrepared_neverFreezesAndStillRunsPost() throws IOException {
        Cancellation cancellation = new Cancellation();
        snapshotter.duringPrepare = cancellation::cancel;

        BackupOutcome outcome = run(cancellation);

        assertEquals(ErrorCode.BACKUP_INTERRUPTED, outcome.code());
        assertEquals(StatusType.ERROR, outcome.status());
        assertEquals(List.of("upload:/status", "precheck", "pre", "mounts", "prepare", "post", "upload:/status",
                "upload:/logs"), events.all());
        assertEquals(0, snapshotter.takes);
        assertEquals("skipped", postOutcome());
        assertEquals(String.valueOf(ErrorCode.BACKUP_INTERRUPTED.code()), finalBlobStatus().get("code").asText());
    }

    @Test
    void run_whenTheCommandIsOlderThan140Minutes_reports402WithoutScriptsOrFreeze() throws IOException {
        request.ticks = Optional.of(BackupFixtures.ticks(NOW.minus(Duration.ofMinutes(141))));

        BackupOutcome outcome = run();

        assertEquals(ErrorCode.COMMAND_TOO_LATE, outcome.code());
        assertEquals(StatusType.ERROR, outcome.status());
        assertEquals(List.of("upload:/status", "upload:/status", "upload:/logs"), events.all());
        assertEquals(0, pluginHostLoads, "the plugin host is not even loaded");
        assertEquals("402", finalBlobStatus().get("code").asText());
    }

    @Test
    void run_whenTheCommandIs139MinutesOld_runsTheBackup() throws IOException {
        request.ticks = Optional.of(BackupFixtures.ticks(NOW.minus(Duration.ofMinutes(139))));

        assertEquals(ErrorCode.SUCCESS_APP_CONSISTENT, run().code());
    }

    @Test
    void run_whenPreFailsWithContinueFalseOnAMultiDiskVm_takesNoSnapshotRunsPostAndFailsWith300() throws IOException {
        host.settings(false, true);
        host.pre = BackupFixtures.failed(ScriptPhase.PRE, ErrorCode.PRE_SCRIPT_FAILED);

        BackupOutcome outcome = run();

        assertFalse(events.all().contains("freeze"));
        assertFalse(events.all().contains("snapshot"));
        assertFalse(events.all().contains("hold"));
        assertTrue(events.all().contains("post"));
        assertEquals("skipped", postOutcome());
        assertEquals(StatusType.ERROR, outcome.status());
        assertEquals(ErrorCode.PRE_SCRIPT_FAILED, outcome.code());
        assertTrue(outcome.message().endsWith("StatusCode.FailedPrepostPreScriptFailed,"), outcome.message());
    }

    @Test
    void run_whenPreFailsWithContinueFalseOnASingleDiskVm_fallsBackToAFileSystemConsistentSnapshot()
            throws IOException {
        host.settings(false, true);
        host.pre = BackupFixtures.failed(ScriptPhase.PRE, ErrorCode.PRE_SCRIPT_FAILED);
        request.singleDisk();

        BackupOutcome outcome = run();

        assertTrue(events.all().contains("freeze"));
        assertTrue(events.all().contains("snapshot"));
        assertEquals(StatusType.SUCCESS, outcome.status());
        assertEquals(ErrorCode.SUCCESS, outcome.code());
        assertEquals(300, finalBlobStatus().get("vmHealthInfo").get("vmHealthStatusCode").asInt());
        assertEquals(128, finalBlobStatus().get("vmHealthInfo").get("vmHealthState").asInt());
    }

    @Test
    void run_whenFsFreezeIsDisabled_snapshotsWithoutLookingForMountsOrFreezing() throws IOException {
        host.settings(true, false);

        BackupOutcome outcome = run();

        assertFalse(events.all().contains("mounts"));
        assertFalse(events.all().contains("freeze"));
        assertTrue(events.all().contains("snapshot"));
        assertEquals(ErrorCode.SUCCESS_APP_CONSISTENT, outcome.code());
    }

    @Test
    void run_whenNoPrePostIsConfigured_runsNoScriptAndIsFileSystemConsistent() throws IOException {
        host.precheck = new Precheck(List.of(), false, false, true, true, List.of());

        BackupOutcome outcome = run();

        assertFalse(events.all().contains("pre"));
        assertFalse(events.all().contains("post"));
        assertEquals(ErrorCode.SUCCESS, outcome.code());
        assertEquals(StatusType.SUCCESS, outcome.status());
    }

    @Test
    void run_whenOnlyAPostScriptIsConfigured_isNotApplicationConsistentEvenWithoutFreeze() throws IOException {
        host.precheck = new Precheck(List.of(), true, false, false, true, List.of());
        host.pre = PhaseResult.nothingRun(ScriptPhase.PRE, List.of());

        BackupOutcome outcome = run();

        assertTrue(events.all().contains("post"), "the post-script still runs");
        assertEquals(StatusType.SUCCESS, outcome.status());
        assertEquals(ErrorCode.SUCCESS, outcome.code(), "nothing quiesced the application");
    }

    @Test
    void run_givesTheSnapshotADeadlineBeforeTheFreezeTimeout() throws IOException {
        Files.writeString(configDir.resolve("vmbackup.conf"), "[SnapshotThread]\ntimeout = 30\n");

        run();

        assertEquals(Duration.ofSeconds(30), freezer.timeout);
        assertEquals(NOW.plusSeconds(25), snapshotter.deadline);
    }

    /** It only tunes the backup: a file the handler cannot decode must not stop every backup with 121. */
    @Test
    void run_whenVmbackupConfIsNotUtf8_backsUpWithTheDefaults() throws IOException {
        Files.write(configDir.resolve("vmbackup.conf"), "[SnapshotThread]\n# g\u00e9r\u00e9\ntimeout = 30\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        BackupOutcome outcome = run();

        assertEquals(ErrorCode.SUCCESS_APP_CONSISTENT, outcome.code());
        assertEquals(SnapshotBackup.DEFAULT_FREEZE_TIMEOUT, freezer.timeout);
    }

    /** The portal shows the status message, not the log: a file ignored must be said there. */
    @Test
    void run_whenVmbackupConfIsNotUtf8_theStatusMessageEndsWithTheWarning() throws IOException {
        Files.write(configDir.resolve("vmbackup.conf"), "[SnapshotThread]\n# g\u00e9r\u00e9\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        BackupOutcome outcome = run();

        assertTrue(outcome.message().startsWith(messages().message(ErrorCode.SUCCESS_APP_CONSISTENT) + " Warning: /etc/azure/"
                + "vmbackup.conf is not UTF-8 text; every setting in it is ignored"), outcome.message());
        assertTrue(finalBlobStatus().get("formattedMessage").get("message").asText().contains("vmbackup.conf is not UTF-8"));
        assertTrue(outcome.fileStatus().formattedMessage().message().contains("vmbackup.conf is not UTF-8"));
    }

    @Test
    void run_precheckWarnings_areInTheStatusAfterTheErrorAndBeforeStatusCode() throws IOException {
        host.precheck = new Precheck(List.of(), true, true, true, false, List.of("/etc/azure/x.json: field a is given twice"));
        host.pre = BackupFixtures.failed(ScriptPhase.PRE, ErrorCode.PRE_SCRIPT_FAILED);

        BackupOutcome outcome = run();

        assertEquals(StatusType.ERROR, outcome.status());
        assertTrue(outcome.message().endsWith(" Warning: /etc/azure/x.json: field a is given twice. StatusCode."
                + ErrorCode.PRE_SCRIPT_FAILED.upstreamName() + ","), outcome.message());
    }

    @Test
    void run_aScriptThatSucceededAfterRetries_saysSoInTheStatusInTheRequestsLanguage() throws IOException {
        host.pre = new PhaseResult(ScriptPhase.PRE, List.of(new io.vmsnapshot.prepost.ScriptResult("ScriptRunner#0",
                ScriptPhase.PRE, "/etc/azure/pre.sh", 3, 0, null, false, 40, List.of(), Optional.empty())), List.of(), true);
        request.locale = "zh-CN";

        BackupOutcome outcome = run();

        assertEquals(ErrorCode.SUCCESS_APP_CONSISTENT, outcome.code());
        assertTrue(outcome.message().endsWith("警告: 前脚本 /etc/azure/pre.sh(插件 ScriptRunner#0)直到第 3 次尝试才成功:之前的尝试失败了"
                + "(其输出在扩展日志中);请在它彻底失败之前修复该脚本。"), outcome.message());
    }

    /** vmbackup.conf's UploadStatusAndLog = False, as upstream: the agent's status file still says it all. */
    @Test
    void run_withBlobUploadsTurnedOff_uploadsNoBlobButStillHasTheOutcome() throws IOException {
        blobUploads = false;

        BackupOutcome outcome = run();

        assertEquals(ErrorCode.SUCCESS_APP_CONSISTENT, outcome.code());
        assertEquals(List.of(), blobs.uploads("/status"));
        assertEquals(List.of(), blobs.uploads("/logs"));
    }

    @Test
    void run_aScriptThatSucceededAtOnce_addsNoWarning() throws IOException {
        BackupOutcome outcome = run();

        assertEquals(messages().message(ErrorCode.SUCCESS_APP_CONSISTENT), outcome.message());
    }

    @Test
    void run_withTheDefaultFreezeTimeout_givesTheSnapshot55Seconds() throws IOException {
        run();

        assertEquals(SnapshotBackup.DEFAULT_FREEZE_TIMEOUT, freezer.timeout);
        assertEquals(NOW.plusSeconds(55), snapshotter.deadline);
    }

    @Test
    void run_withoutSafeFreezeWaitInSeconds_waitsForTheFreezeAtMostTheSnapshotBudget() throws IOException {
        run();

        assertEquals(Duration.ofSeconds(55), freezer.freezeWait,
                "upstream's 66 s, capped at the 55 s the default timeout leaves the snapshot");
    }

    @Test
    void run_honoursSafeFreezeWaitInSecondsWithinTheSnapshotBudget() throws IOException {
        Files.writeString(configDir.resolve("vmbackup.conf"), "[SnapshotThread]\nSafeFreezeWaitInSeconds = 20\n");

        run();

        assertEquals(Duration.ofSeconds(20), freezer.freezeWait);
    }

    /** Microsoft's troubleshooting guide has customers raise it; it counts once timeout leaves room for it. */
    @Test
    void run_aRaisedSafeFreezeWaitInSeconds_countsWhenTheTimeoutLeavesRoomForIt() throws IOException {
        Files.writeString(configDir.resolve("vmbackup.conf"),
                "[SnapshotThread]\nSafeFreezeWaitInSeconds = 300\ntimeout = 600\n");

        run();

        assertEquals(Duration.ofSeconds(300), freezer.freezeWait);
    }

    @Test
    void run_aSafeFreezeWaitBeyondTheSnapshotBudget_isCappedAtIt() throws IOException {
        Files.writeString(configDir.resolve("vmbackup.conf"), "[SnapshotThread]\nSafeFreezeWaitInSeconds = 300\n");

        run();

        assertEquals(Duration.ofSeconds(55), freezer.freezeWait);
        assertEquals(NOW.plusSeconds(55), snapshotter.deadline);
    }

    /** Above what the helper takes, the timeout is lowered: the backup runs, it does not fail with 121. */
    @Test
    void run_aTimeoutAboveOneDay_backsUpWithOneDay() throws IOException {
        Files.writeString(configDir.resolve("vmbackup.conf"), "[SnapshotThread]\ntimeout = 90000\n");

        BackupOutcome outcome = run();

        assertEquals(ErrorCode.SUCCESS_APP_CONSISTENT, outcome.code());
        assertEquals(Duration.ofSeconds(86_400), freezer.timeout);
    }

    @Test
    void run_withTheShortestFreezeTimeout_stillEndsTheSnapshotBeforeTheAutoThaw() throws IOException {
        Files.writeString(configDir.resolve("vmbackup.conf"), "[SnapshotThread]\ntimeout = 1\n");

        run();

        assertEquals(Duration.ofSeconds(5), freezer.timeout, "the timeout is at least 5 s");
        assertTrue(snapshotter.deadline.isBefore(NOW.plus(freezer.timeout)), String.valueOf(snapshotter.deadline));
    }

    @Test
    void run_passesTheSnapshotRequestBuiltFromTheSettings() throws IOException {
        request.customSettings = Optional.of("{\"backupTaskId\":\"bt-9\"}");

        run();

        assertEquals("bt-9", snapshotter.request.taskId());
        assertEquals(List.of(0, 1, -1), snapshotter.request.includeLunList());
        assertEquals(3, snapshotter.request.blobSasUris().size());
        assertEquals("token-xyz", snapshotter.request.snapshotTaskToken());
    }

    @Test
    void run_uploadsTransitioningThenTheFinalDocumentAndTheLogsAsBlockBlobs() throws IOException {
        run();

        List<BlobSink.Upload> status = blobs.uploads("/status");
        assertEquals(2, status.size());
        JsonNode first = json.readTree(status.get(0).body()).get(0).get("status");
        assertEquals("4", first.get("code").asText());
        assertEquals("success", first.get("status").asText(), "upstream's interim blob status is success / 4");
        assertEquals("BlockBlob", status.get(1).header("x-ms-blob-type"));
        assertEquals("sv=2021&sig=secretsig", status.get(1).query(), "the SAS reaches storage unchanged");
        assertEquals("line one\nline two\n", blobs.uploads("/logs").get(0).body());
    }

    @Test
    void run_whenTheStatusUploadFails_saysSoInTheDocumentTheAgentReads() throws IOException {
        blobs.answer(500);

        BackupOutcome outcome = run();

        String carried = outcome.fileStatus().substatus().get(0).name();
        JsonNode blob = json.readTree(carried).get(0).get("status");
        String messageStr = json.readTree(blob.get("formattedMessage").get("message").asText()).get("messageStr")
                .asText();
        assertTrue(messageStr.contains("statusBlobUploadError=true"), messageStr);
        assertEquals(ErrorCode.SUCCESS_APP_CONSISTENT, outcome.code(), "a failed upload never fails the backup");
    }

    @Test
    void run_whenAnUploadFails_triesThreeTimesWithTheRetryPolicysBackoffBetween() throws IOException {
        blobs.answer(500);

        run();

        assertEquals(3, blobs.uploads("/logs").size());
        // Policy 1 ms doubling to 4 ms, jitter 0.5 scales each by 0.75: two waits per upload.
        assertEquals(Duration.ofMillis(1), sleeps.get(0));
        assertEquals(Duration.ofMillis(2), sleeps.get(1));
        assertEquals(2 * 3, sleeps.size(), "two waits each: the interim status, the final status and the logs");
    }

    @Test
    void run_whenASecondPluginsPreFails_reportsEveryProblemInTheMessage() throws IOException {
        host.pre = new PhaseResult(ScriptPhase.PRE, List.of(), List.of(
                new io.vmsnapshot.prepost.Finding(ErrorCode.PRE_SCRIPT_TIMEOUT, "db.sh ran past 30 s"),
                new io.vmsnapshot.prepost.Finding(ErrorCode.PRE_SCRIPT_FAILED, "app.sh exited with 2")), true);

        BackupOutcome outcome = run();

        assertEquals(ErrorCode.SUCCESS, outcome.code());
        assertTrue(outcome.message().contains("db.sh ran past 30 s"), outcome.message());
        assertTrue(outcome.message().contains("app.sh exited with 2"), outcome.message());
        assertEquals(308, finalBlobStatus().get("vmHealthInfo").get("vmHealthStatusCode").asInt());
    }

    @Test
    void run_withoutBlobUris_uploadsNothing() throws IOException {
        request.statusBlobUri = "";
        request.logsBlobUri = "";

        run();

        assertTrue(blobs.uploads().isEmpty());
    }
}

package io.vmsnapshot.e2e.backup;

import io.vmsnapshot.e2e.CiRequirement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.agent.LifecycleResult;
import io.vmsnapshot.e2e.agent.SettingsBuilder;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import io.vmsnapshot.e2e.fixtures.WriteProbe;
import io.vmsnapshot.e2e.storage.BlobSnapshot;
import io.vmsnapshot.freeze.FreezeEligibility;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's main acceptance: a full backup of a VM with an OS disk and two data disks, through the
 * agent simulator and the built package, with pre/post scripts and real ext4 and xfs mounts
 * frozen, against the shared Azurite; then what the operator's {@code status} verb says about it.
 */
class BackupEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PHASES = List.of("pre", "prepare", "freeze", "snapshot", "thaw", "post");
    private static LoopMount ext4;
    private static LoopMount xfs;

    @BeforeAll
    static void mounts() throws IOException {
        CiRequirement.requireRoot("loop mounts and fsfreeze need root");
        ext4 = LoopMount.create(LoopMount.FsType.EXT4);
        xfs = LoopMount.create(LoopMount.FsType.XFS);
    }

    @AfterAll
    static void unmount() {
        if (xfs != null) {
            xfs.close();
        }
        if (ext4 != null) {
            ext4.close();
        }
    }

    private static Map<String, String> freezeBoth() {
        return Map.of(FreezeEligibility.FREEZE_MOUNTS_ENV, ext4.mountPoint() + ":" + xfs.mountPoint());
    }

    @Test
    void fullBackup_isApplicationConsistent_reportsUpstreamsBlobDocument_andShowsTheSignatureNowhere() throws Exception {
        try (BackupSandbox sandbox = BackupSandbox.create("full")) {
            fullBackup(sandbox);
        }
    }

    private static void fullBackup(BackupSandbox sandbox) throws Exception {
        sandbox.prePostScripts();
        AzuriteDisks disks = AzuriteDisks.create(2);
        List<String> sasUris = disks.sasUris();
        String statusBlob = disks.statusBlobSasUri();
        String logsBlob = disks.logsBlobSasUri();
        ArrayNode metadata = JSON.createArrayNode();
        metadata.addObject().put("Key", "MachineName").put("Value", "e2e-vm");
        metadata.addObject().put("Key", "backupJobId").put("Value", "job-7");
        AgentSimulator agent = new AgentSimulator(sandbox.workDir().resolve("agent"), sandbox.options(freezeBoth()));

        LifecycleResult lifecycle = agent.installAndEnable(SettingsBuilder.snapshot()
                .includedDisks(List.of(0, 1), true)
                .blobSasUris(sasUris)
                .statusBlobUri(statusBlob)
                .logsBlobUri(logsBlob)
                .publicObjectField("backupMetadata", metadata)
                .build());

        assertTrue(lifecycle.allSucceeded(), lifecycle.toString());
        AgentStatus file = BackupSandbox.awaitTerminal(agent, 0);
        assertEquals("success", file.status(), file.toString());
        assertEquals(0, file.code(), file.message());

        String blobText = disks.statusDocument();
        assertEquals(blobText, file.substatus().get(0).name(), "the file carries the uploaded blob document");
        JsonNode status = JSON.readTree(blobText).get(0).get("status");
        assertTrue(status.get("code").isTextual(), "string code as upstream: " + status.get("code"));
        assertEquals("0", status.get("code").asText());
        assertEquals("success", status.get("status").asText());
        assertTrue(blobText.matches("(?s).*\"timestampUTC\":\"\\\\/Date\\(\\d+\\)\\\\/\".*"), blobText);
        JsonNode response = JSON.readTree(status.get("formattedMessage").get("message").asText());
        assertEquals(2, response.get("snapshotConsistency").asInt(), "application consistent");
        assertEquals(0, status.get("vmHealthInfo").get("vmHealthState").asInt());
        assertEquals(0, status.get("vmHealthInfo").get("vmHealthStatusCode").asInt());

        JsonNode infos = status.get("snapshotInfo");
        assertEquals(3, infos.size(), infos.toString());
        for (int i = 0; i < 3; i++) {
            String blob = disks.blobs().get(i);
            JsonNode info = infos.get(i);
            String snapshotUri = info.get("snapshotUri").asText();
            assertTrue(info.get("isSuccessful").asBoolean(), info.toString());
            assertEquals(disks.blobUrl(blob), info.get("blobUri").asText());
            assertTrue(snapshotUri.startsWith(disks.blobUrl(blob) + "?snapshot="), snapshotUri);
            assertFalse(snapshotUri.contains("sig="), snapshotUri);
            List<BlobSnapshot> snapshots = disks.snapshots(blob);
            assertEquals(1, snapshots.size(), blob + ": " + snapshots);
            assertEquals(snapshots.get(0).snapshot(), snapshotUri.substring(snapshotUri.indexOf("?snapshot=") + 10));
            assertEquals("e2e-vm", snapshots.get(0).metadata().get("MachineName"), snapshots.get(0).toString());
            assertEquals("job-7", snapshots.get(0).metadata().get("backupJobId"), snapshots.get(0).toString());
        }

        Map<String, String> telemetry = telemetry(status);
        for (String phase : PHASES) {
            assertTrue(telemetry.containsKey(phase + "Millis"), phase + " timing in " + telemetry);
            assertTrue(Long.parseLong(telemetry.get(phase + "Millis")) >= 0, telemetry.toString());
        }
        long window = Long.parseLong(telemetry.get("freezeWindowMillis"));
        // The default auto-thaw is at 60 s; how short the window is, is BackupBench's to measure.
        assertTrue(window < 20_000, "frozen for the snapshot calls only, not until a timeout: " + window + " ms");

        assertEquals(List.of("pre e2e", "post success"), sandbox.scriptRuns());
        assertTrue(WriteProbe.isThawed(ext4.mountPoint()), "ext4 thawed");
        assertTrue(WriteProbe.isThawed(xfs.mountPoint()), "xfs thawed");

        String logs = disks.logsDocument();
        assertTrue(logs.contains("backup-verdict"), "the logs blob has this backup's log: " + logs);
        assertFalse(logs.contains("sig="), "no SAS query in the logs blob");
        Path extensionLog = agent.handlerLogDir().resolve("extension.log");
        assertTrue(Files.size(extensionLog) > 0, "extension log written");
        List<String> logLines = Files.readAllLines(extensionLog, StandardCharsets.UTF_8);
        List<String> windowLines = logLines.subList(indexOf(logLines, "freeze-window-start"), indexOf(logLines, "freeze-window-end"));
        assertTrue(indexOf(logLines, "snapshot.prepared") < indexOf(logLines, "freeze-window-start"),
                "PreSnapshot and the blob warm-up ran before the freeze");
        assertTrue(windowLines.stream().noneMatch(l -> l.contains("presnapshot") || l.contains("prepared")),
                String.join("\n", windowLines));
        List<String> everySas = new ArrayList<>(sasUris);
        everySas.add(statusBlob);
        everySas.add(logsBlob);
        BackupSandbox.assertNoSecret(AzuriteDisks.signatures(everySas), handlerWrittenPlaces(agent, sandbox),
                List.of(blobText, logs));
        // The settings file keeps the public settings (the status and logs blob URIs are public, as
        // CRP sends them); the disks' SAS URIs were protected and must be gone from it.
        BackupSandbox.assertNoSecret(AzuriteDisks.signatures(sasUris), List.of(agent.configDir()), List.of());
    }

    /**
     * Issue 13: the JDK opens every jar of the class path at each start (its System.Logger look-up),
     * and BouncyCastle's three are most of the entries. Each JVM's own log says what it was given
     * (java_command, the class path) and where its classes came from.
     */
    @Test
    void enableRunsWithoutBouncyCastleOnItsClassPath_whileTheWorkerItStartsDecryptsTheProtectedSasUris()
            throws Exception {
        try (BackupSandbox sandbox = BackupSandbox.create("lean-class-path")) {
            sandbox.prePostScripts();
            AzuriteDisks disks = AzuriteDisks.create(1);
            AgentSimulator agent = new AgentSimulator(sandbox.workDir().resolve("agent"), sandbox.options(
                    Map.of(FreezeEligibility.FREEZE_MOUNTS_ENV, ext4.mountPoint().toString())));
            String version = AgentSimulator.builtVersion();
            agent.download(AgentSimulator.builtZip(), version);
            agent.writeSettings(version, 0, SettingsBuilder.snapshot().includedDisks(List.of(0), true)
                    .blobSasUris(disks.sasUris()).build());
            CommandResult install = agent.run(AgentSimulator.Operation.INSTALL, version, Map.of());
            assertEquals(0, install.exitCode(), install.toString());
            Path jvmLogs = Files.createDirectories(sandbox.workDir().resolve("jvm-logs"));

            // Enable's variable reaches the worker it starts: one log per JVM.
            CommandResult enable = agent.run(AgentSimulator.Operation.ENABLE, version, Map.of("VMSNAPSHOT_JVM_OPTIONS",
                    "-Xlog:arguments=info,class+load=info:file=" + jvmLogs.resolve("jvm-%p.log")));
            assertEquals(0, enable.exitCode(), enable.toString());
            AgentStatus status = BackupSandbox.awaitTerminal(agent, 0);
            BackupSandbox.awaitNoWorker(agent.baseDir(), Duration.ofSeconds(30));

            assertEquals("success", status.status(), status.toString());
            assertEquals(0, status.code(), "the worker decrypted the disks' SAS URIs and snapshotted: " + status.message());
            String enableLog = jvmLog(jvmLogs, "java_command: io.vmsnapshot.Main enable");
            String workerLog = jvmLog(jvmLogs, "java_command: io.vmsnapshot.Main worker");
            assertTrue(enableLog.contains("java_class_path (initial): lib/vmsnapshot-handler-" + version + ".jar:"),
                    "the handler jar, relative, as the cache was trained: " + classPathLine(enableLog));
            assertFalse(classPathLine(enableLog).contains("lib/bc"), classPathLine(enableLog));
            assertFalse(enableLog.contains("org.bouncycastle"), "enable loaded no BouncyCastle class");
            assertTrue(enableLog.contains("io.vmsnapshot.lifecycle.EnableCommand source: shared objects file"),
                    "enable still takes its classes from its AOT cache (trained on the same class path)");
            for (String jar : List.of("bcprov", "bcpkix", "bcutil")) {
                assertTrue(classPathLine(workerLog).contains("lib/" + jar + "-"), classPathLine(workerLog));
            }
            assertTrue(workerLog.contains("org.bouncycastle.cms.CMSEnvelopedData source: shared objects file"),
                    "the worker decrypts with BouncyCastle from its AOT cache");
        }
    }

    /** The one JVM log that contains the marker. */
    private static String jvmLog(Path dir, String marker) throws IOException {
        List<String> matching = new ArrayList<>();
        try (java.util.stream.Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.toList()) {
                String text = Files.readString(log);
                if (text.contains(marker)) {
                    matching.add(text);
                }
            }
        }
        assertEquals(1, matching.size(), "JVM logs with '" + marker + "' in " + dir);
        return matching.get(0);
    }

    private static String classPathLine(String jvmLog) {
        return jvmLog.lines().filter(line -> line.contains("java_class_path (initial): ")).findFirst()
                .orElseThrow(() -> new AssertionError("no class path in the JVM's log"));
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i;
            }
        }
        throw new AssertionError("no '" + marker + "' line in the extension log");
    }

    /** workload.conf naming a database this extension cannot quiesce: never a failed backup, the reason in the status. */
    @Test
    void anUnusableWorkloadConf_givesAFileSystemConsistentBackup_withTheReasonInTheStatus_inTheRequestsLanguage()
            throws Exception {
        try (BackupSandbox sandbox = BackupSandbox.create("workload-bad")) {
            sandbox.prePostScripts();
            Path conf = sandbox.configDir().resolve("workload.conf");
            Files.writeString(conf, "[workload]\nworkload_name = db2\n");
            Files.setPosixFilePermissions(conf, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            AzuriteDisks disks = AzuriteDisks.create(1);
            AgentSimulator agent = new AgentSimulator(sandbox.workDir().resolve("agent"), sandbox.options(
                    Map.of(FreezeEligibility.FREEZE_MOUNTS_ENV, ext4.mountPoint().toString())));

            agent.installAndEnable(SettingsBuilder.snapshot().locale("zh-CN").taskId("task-workload")
                    .includedDisks(List.of(0), true).blobSasUris(disks.sasUris()).build());
            AgentStatus status = BackupSandbox.awaitTerminal(agent, 0);

            assertEquals("success", status.status(), status.message());
            assertEquals(1, status.code(), "a snapshot, file-system consistent: " + status.message());
            assertTrue(status.message().contains("FailedWorkloadInvalidWorkloadName")
                    && status.message().contains("workload_name=db2"), status.message());
            assertTrue(status.message().contains("不是本扩展能够静默的数据库"), "in the request's language: " + status.message());
            assertEquals(List.of(), sandbox.scriptRuns(), "the scripts are replaced by the workload, as upstream");
            assertTrue(WriteProbe.isThawed(ext4.mountPoint()), "thawed");
        }
    }

    @Test
    void statusVerb_afterABackup_tellsTheOutcomeInWords_inTheRequestsLanguage() throws Exception {
        try (BackupSandbox sandbox = BackupSandbox.create("status-words")) {
            statusWords(sandbox);
        }
    }

    private static void statusWords(BackupSandbox sandbox) throws Exception {
        sandbox.prePostScripts();
        AzuriteDisks disks = AzuriteDisks.create(1);
        AgentSimulator agent = new AgentSimulator(sandbox.workDir().resolve("agent"), sandbox.options(
                Map.of(FreezeEligibility.FREEZE_MOUNTS_ENV, ext4.mountPoint().toString())));
        SettingsBuilder chinese = SettingsBuilder.snapshot().locale("zh-CN").taskId("task-zh")
                .includedDisks(List.of(0), true).blobSasUris(disks.sasUris());
        agent.installAndEnable(chinese.build());
        assertEquals(0, BackupSandbox.awaitTerminal(agent, 0).code());

        BackupSandbox.Launched zh = BackupSandbox.launch(agent, Duration.ofSeconds(30), "status");

        assertEquals(0, zh.exitCode(), zh.toString());
        assertTrue(zh.stdout().contains("上次备份:任务 task-zh"), zh.stdout());
        assertTrue(zh.stdout().contains("已成功完成"), zh.stdout());
        assertTrue(zh.stdout().contains("已成功创建应用程序一致的快照"), zh.stdout());

        agent.enable(1, SettingsBuilder.snapshot().locale("en-us").taskId("task-en")
                .includedDisks(List.of(0), true).blobSasUris(disks.sasUris()).build());
        assertEquals(0, BackupSandbox.awaitTerminal(agent, 1).code());
        BackupSandbox.Launched en = BackupSandbox.launch(agent, Duration.ofSeconds(30), "status");

        assertEquals(0, en.exitCode(), en.toString());
        assertTrue(en.stdout().contains("Last backup: task task-en (sequence number 1), finished successfully"), en.stdout());
        assertTrue(en.stdout().contains("Enable Succeeded with App Consistent Snapshot"), en.stdout());
    }

    /** Every place the handler writes to, where a leaked signature could end up. */
    static List<Path> handlerWrittenPlaces(AgentSimulator agent, BackupSandbox sandbox) {
        Path base = agent.baseDir();
        return List.of(agent.handlerLogDir(), base.resolve("status"), base.resolve("state"),
                base.resolve("tmp"), base.resolve("heartbeat.log"), agent.runDir(), sandbox.configDir());
    }

    static Map<String, String> telemetry(JsonNode status) {
        Map<String, String> values = new HashMap<>();
        for (JsonNode entry : status.get("telemetryData")) {
            values.put(entry.get("Key").asText(), entry.get("Value").asText());
        }
        return values;
    }
}

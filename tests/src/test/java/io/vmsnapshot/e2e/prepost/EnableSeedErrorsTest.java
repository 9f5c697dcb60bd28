package io.vmsnapshot.e2e.prepost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.e2e.Await;
import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentSimulator.Operation;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.agent.SettingsBuilder;
import io.vmsnapshot.e2e.fixtures.RootOnlyDir;
import io.vmsnapshot.e2e.storage.Azurite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Backups requested through the agent simulator (enable, detached worker, status file) with the
 * customer's pre/post set up wrong in each seed error's way. The disks are page blobs in Azurite,
 * snapshotted by the guest path, so the snapshot itself succeeds and only the pre/post outcome
 * decides; nothing is frozen ({@code VMSNAPSHOT_FREEZE_MOUNTS=""}, the simulator's default), which
 * counts as file-system consistent. The fall-back rules are the seed's: {@code
 * continueBackupOnFailure: true} gives a successful file-system-consistent backup whose health
 * carries the error; {@code false} fails a multi-disk backup with it; a single-disk backup falls
 * back whatever the setting says.
 */
class EnableSeedErrorsTest {
    private static final Duration BACKUP_DONE = Duration.ofSeconds(60);
    private static final int YELLOW = 128;
    private static final int FILE_SYSTEM_CONSISTENT = 1;
    private static final int APPLICATION_CONSISTENT = 2;
    private static final int CRASH_CONSISTENT = 3;
    private static final int DISK_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RootOnlyDir sandbox;
    private static AgentSimulator agent;
    private static CustomerConfig customer;
    private static Azurite azurite;
    private static String container;
    private static int seq;

    /** What one backup left: the file status the agent reads, the blob document, the disks' blobs. */
    private record Backup(AgentStatus file, BlobDocument blob, List<String> disks) {
        boolean snapshotted() {
            return disks.stream().allMatch(disk -> !azurite.listSnapshots(container, disk).isEmpty());
        }

        @Override
        public String toString() {
            return file.message() + "\n" + blob;
        }
    }

    @BeforeAll
    static void installThePackage() throws IOException {
        sandbox = RootOnlyDir.create("enable");
        agent = AgentSimulator.inSandbox(sandbox.path());
        agent.download(AgentSimulator.builtZip(), AgentSimulator.builtVersion());
        CommandResult install = agent.run(Operation.INSTALL);
        assertEquals(0, install.exitCode(), install.toString());
        customer = new CustomerConfig(agent.configOverrideDir());
        azurite = Azurite.shared();
        container = "prepost-" + UUID.randomUUID().toString().substring(0, 8);
        azurite.createContainer(container);
    }

    @AfterAll
    static void removeTheSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @BeforeEach
    void startFromAnEmptyConfigDir() throws IOException {
        customer.clear();
    }

    @Test
    void backup_withEverythingRight_isApplicationConsistent() throws Exception {
        customer.standard(false);

        Backup backup = backup(2, "en-us");

        assertEquals(0, backup.file().code(), backup.toString());
        assertEquals("success", backup.blob().status(), backup.toString());
        assertEquals(0, backup.blob().code(), backup.toString());
        assertEquals(APPLICATION_CONSISTENT, backup.blob().snapshotConsistency(), backup.toString());
        assertEquals(0, backup.blob().healthCode(), backup.toString());
        assertEquals(List.of("pre", "post"), customer.ran());
        assertTrue(backup.snapshotted(), "every disk has a snapshot");
        List<String> worker = workerLog(seq);
        assertTrue(worker.stream().anyMatch(line -> line.contains("backup-end")), String.join("\n", worker));
        assertEquals(List.of(), worker.stream().filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                .toList(), "a clean backup logs no warning");
    }

    /** Upstream reported this application consistent, though nothing quiesced the application. */
    @Test
    void backup_withOnlyAPostScriptAndNoFreeze_isCrashConsistentWithCode1() throws Exception {
        customer.standard(true, config -> {
            config.put("preScriptLocation", "");
            config.put("fsFreezeEnabled", false);
        });

        Backup backup = backup(2, "en-us");

        assertEquals(1, backup.file().code(), backup.toString());
        assertEquals("success", backup.blob().status(), backup.toString());
        assertEquals(1, backup.blob().code(), backup.toString());
        assertEquals(CRASH_CONSISTENT, backup.blob().snapshotConsistency(), backup.toString());
        assertEquals(List.of("post"), customer.ran());
        assertTrue(backup.snapshotted(), "every disk has a snapshot");
    }

    /** Upstream froze anyway when another field made the config a 305; the customer said no freeze. */
    @Test
    void backup_withAnUnusableFieldBesideFsFreezeDisabled_reports305AndDoesNotFreeze() throws Exception {
        customer.standard(true, config -> {
            config.put("timeoutInSeconds", "thirty");
            config.put("fsFreezeEnabled", false);
        });

        Backup backup = backup(2, "en-us");

        assertEquals(1, backup.blob().code(), backup.toString());
        assertEquals(305, backup.blob().healthCode(), backup.toString());
        assertTrue(backup.file().message().contains("timeoutInSeconds"), backup.toString());
        assertEquals(CRASH_CONSISTENT, backup.blob().snapshotConsistency(), backup.toString());
        assertEquals(List.of(), customer.ran());
    }

    /** vmbackup.conf only tunes the backup: one saved as Latin-1 used to fail every backup with 121. */
    @Test
    void backup_withAVmbackupConfThatIsNotUtf8_isApplicationConsistentWithTheDefaults() throws Exception {
        customer.standard(true);
        byte[] latin1 = "[SnapshotThread]\n# g\u00e9r\u00e9 par Ansible\ntimeout = 30\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(customer.dir().resolve("vmbackup.conf"), latin1);

        Backup backup = backup(2, "en-us");

        assertEquals(0, backup.file().code(), backup.toString());
        assertEquals(APPLICATION_CONSISTENT, backup.blob().snapshotConsistency(), backup.toString());
        assertTrue(workerLog(seq).stream().anyMatch(line -> line.contains("vmbackup-conf-ignored")),
                String.join("\n", workerLog(seq)));
        assertTrue(backup.file().message().contains("Warning: " + customer.dir().resolve("vmbackup.conf")
                + " is not UTF-8 text; every setting in it is ignored"), "the status says it, not only the log: " + backup);
        assertTrue(backup.blob().messageStr().contains("vmbackup.conf is not UTF-8"), backup.toString());
    }

    /**
     * Upstream ran VMSnapshotScriptPluginConfig.json (its packaged host config names it), the seed
     * names VMSnapshotPluginConfig.json: with both, the one the Python extension ran counts, and the
     * status says which.
     */
    @Test
    void backup_withBothPluginConfigNames_usesTheOneThePythonExtensionRan_andSaysSo() throws Exception {
        Path configured = customer.standard(true);
        Files.move(configured, customer.dir().resolve("VMSnapshotScriptPluginConfig.json"));
        customer.pluginConfigText("{\"pluginName\": \"ScriptRunner\", \"preScriptLocation\": \"\","
                + " \"postScriptLocation\": \"\", \"timeoutInSeconds\": 30}");

        Backup backup = backup(2, "en-us");

        assertEquals(0, backup.file().code(), backup.toString());
        assertEquals(APPLICATION_CONSISTENT, backup.blob().snapshotConsistency(), backup.toString());
        assertEquals(List.of("pre", "post"), customer.ran());
        assertTrue(backup.file().message().contains("Warning: " + customer.dir() + " has both VMSnapshotPluginConfig.json"
                + " and VMSnapshotScriptPluginConfig.json: VMSnapshotScriptPluginConfig.json is used and"
                + " VMSnapshotPluginConfig.json is ignored"), backup.toString());
    }

    /** A flaky script is worth knowing about before it fails for good: the status tells the attempts. */
    @Test
    void backup_whosePreScriptSucceedsAtItsSecondAttempt_isApplicationConsistent_andSaysSo() throws Exception {
        Path pre = customer.script("pre.sh", "pre", "[ \"$VMSNAPSHOT_ATTEMPT\" -ge 2 ] || exit 7");
        customer.standard(true, config -> config.put("preScriptNoOfRetries", 2));

        Backup backup = backup(2, "en-us");

        assertEquals(0, backup.file().code(), backup.toString());
        assertEquals(APPLICATION_CONSISTENT, backup.blob().snapshotConsistency(), backup.toString());
        assertEquals(List.of("pre", "pre", "post"), customer.ran());
        assertTrue(backup.file().message().contains("Warning: The pre-script " + pre + " (plugin ScriptRunner#0)"
                + " succeeded only at attempt 2"), backup.toString());
        OperatorShell.Result status = new OperatorShell(agent.baseDir(), java.util.Map.of()).run("bin/handle.sh", "status");
        assertTrue(status.stdout().contains("succeeded only at attempt 2"), "the status verb says it too: " + status);
    }

    /**
     * The first case of each code: the other ways to the same code differ only in the check before
     * any script runs, which the operator tests cover case by case, at a fraction of a backup's cost.
     */
    static Stream<Arguments> oneCasePerCode() {
        Set<Integer> seen = new HashSet<>();
        return Arrays.stream(SeedCase.values()).filter(c -> seen.add(c.code)).map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("oneCasePerCode")
    void backup_withContinueBackupOnFailure_succeedsWithCode1_andReportsTheSeedError(SeedCase seedCase)
            throws Exception {
        seedCase.apply(customer, true);

        Backup backup = backup(2, "en-us");

        assertEquals(1, backup.file().code(), backup.toString());
        assertEquals("success", backup.blob().status(), backup.toString());
        assertEquals(1, backup.blob().code(), backup.toString());
        // A post-script runs after the snapshot: the snapshot of the quiesced application stands as
        // application consistent, the failure is reported for the application's sake.
        int consistency = seedCase.when == SeedCase.When.POST_PHASE ? APPLICATION_CONSISTENT : FILE_SYSTEM_CONSISTENT;
        assertEquals(consistency, backup.blob().snapshotConsistency(), backup.toString());
        assertSeedError(seedCase, backup);
        assertTrue(backup.snapshotted(), "the snapshot stands");
        assertScriptsRan(seedCase);
    }

    static Stream<Arguments> strictMultiDiskFailures() {
        // Each kind of failure of a script that ran, once; pre and post twins take the same path.
        return Stream.of(SeedCase.PRE_SCRIPT_FAILS, SeedCase.POST_SCRIPT_FAILS, SeedCase.PRE_SCRIPT_TIMEOUT)
                .map(Arguments::of);
    }

    /**
     * A script that could not run did not fail: the seed says the backup is then file-system/crash
     * consistent, so continueBackupOnFailure: false does not turn it into a failed backup (upstream did).
     */
    @ParameterizedTest
    @EnumSource(value = SeedCase.class, names = {"PRE_SCRIPT_NOT_FOUND", "POST_SCRIPT_OWNED_BY_NOBODY"})
    void backup_ofSeveralDisks_withoutContinueBackupOnFailure_whenAScriptCannotRun_fallsBack(SeedCase seedCase)
            throws Exception {
        seedCase.apply(customer, false);

        Backup backup = backup(2, "en-us");

        assertEquals("success", backup.blob().status(), backup.toString());
        assertEquals(1, backup.blob().code(), backup.toString());
        assertEquals(FILE_SYSTEM_CONSISTENT, backup.blob().snapshotConsistency(), backup.toString());
        assertSeedError(seedCase, backup);
        assertTrue(backup.snapshotted(), "the snapshot is taken without the scripts");
    }

    @ParameterizedTest
    @MethodSource("strictMultiDiskFailures")
    void backup_ofSeveralDisks_withoutContinueBackupOnFailure_failsWithTheSeedError(SeedCase seedCase) throws Exception {
        seedCase.apply(customer, false);

        Backup backup = backup(2, "en-us");

        assertEquals(seedCase.code, backup.file().code(), backup.toString());
        assertEquals("error", backup.blob().status(), backup.toString());
        assertEquals(seedCase.code, backup.blob().code(), backup.toString());
        assertSeedError(seedCase, backup);
        assertTrue(backup.file().message().contains("StatusCode.FailedPrepost"), backup.toString());
        assertScriptsRan(seedCase);
        if (seedCase.when == SeedCase.When.POST_PHASE) {
            assertTrue(backup.snapshotted(), "a post-script failure comes after the snapshot");
        } else {
            assertFalse(backup.snapshotted(), "a failed pre phase stops the backup before the snapshot");
        }
    }

    /**
     * The seed promises the fall-back whenever continueBackupOnFailure is true; upstream stopped a
     * multi-disk backup without fsfreeze at a failed pre-script (and failed it at a post-script).
     */
    @ParameterizedTest
    @EnumSource(value = SeedCase.class, names = {"PRE_SCRIPT_FAILS", "POST_SCRIPT_FAILS"})
    void backup_ofSeveralDisks_withoutFsFreeze_whenAScriptFails_isStillTakenCrashConsistentWithCode1(SeedCase seedCase)
            throws Exception {
        seedCase.apply(customer, true);
        customer.standard(true, config -> config.put("fsFreezeEnabled", false));

        Backup backup = backup(2, "en-us");

        assertEquals(1, backup.file().code(), backup.toString());
        assertEquals("success", backup.blob().status(), backup.toString());
        assertEquals(1, backup.blob().code(), backup.toString());
        int consistency = seedCase.when == SeedCase.When.POST_PHASE ? APPLICATION_CONSISTENT : CRASH_CONSISTENT;
        assertEquals(consistency, backup.blob().snapshotConsistency(), backup.toString());
        assertSeedError(seedCase, backup);
        assertTrue(backup.snapshotted(), "the snapshot is taken");
        assertScriptsRan(seedCase);
    }

    @ParameterizedTest
    @EnumSource(value = SeedCase.class, names = {"PRE_SCRIPT_FAILS", "PRE_SCRIPT_NOT_FOUND"})
    void backup_ofASingleDisk_withoutContinueBackupOnFailure_stillFallsBack(SeedCase seedCase) throws Exception {
        seedCase.apply(customer, false);

        Backup backup = backup(1, "en-us");

        assertEquals("success", backup.blob().status(), backup.toString());
        assertEquals(1, backup.blob().code(), backup.toString());
        assertSeedError(seedCase, backup);
        assertTrue(backup.snapshotted(), "the single disk is snapshotted");
    }

    @ParameterizedTest
    @EnumSource(value = SeedCase.class, names = {"PRE_SCRIPT_NOT_FOUND", "PLUGIN_CONFIG_FIELD_OF_WRONG_TYPE"})
    void backup_requestedInZhCn_reportsTheSeedsChineseText(SeedCase seedCase) throws Exception {
        seedCase.apply(customer, true);

        Backup backup = backup(2, "zh-CN");

        assertEquals("zh-CN", backup.file().lang(), backup.toString());
        assertTrue(backup.file().message().contains(seedCase.seedName), backup.toString());
        assertTrue(backup.file().message().contains(SeedTexts.chinese(seedCase.seedName)), backup.toString());
        assertTrue(backup.file().message().contains(seedCase.detail), backup.toString());
    }

    @Test
    void backup_withADamagedPluginHost_fallsBack_with312_andRunsNoScript() throws Exception {
        customer.standard(false);
        Path jar = agent.baseDir().resolve(PluginHostIntegrityTest.JAR);
        Path pristine = sandbox.resolve("pristine-pluginhost.jar");
        Files.copy(jar, pristine, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        byte[] bytes = Files.readAllBytes(jar);
        bytes[bytes.length / 3] ^= 0x40;
        Files.write(jar, bytes, StandardOpenOption.TRUNCATE_EXISTING);
        Backup backup;
        try {
            backup = backup(2, "en-us");
        } finally {
            Files.copy(pristine, jar, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
        }

        assertEquals("success", backup.blob().status(), backup.toString());
        assertEquals(1, backup.blob().code(), backup.toString());
        assertEquals(312, backup.blob().healthCode(), backup.toString());
        assertTrue(backup.file().message().contains("IncorrectPluginhostFile"), backup.toString());
        assertTrue(backup.file().message().contains(SeedTexts.english("IncorrectPluginhostFile")), backup.toString());
        assertTrue(backup.file().message().contains(jar.toString()), backup.toString());
        assertTrue(backup.file().message().contains("Uninstall the VMSnapshotLinux extension"), backup.toString());
        assertEquals(List.of(), customer.ran(), "no script runs with a damaged plugin host");
    }

    /** The status names the seed error, with its text and the specific detail, and the health carries its code. */
    private static void assertSeedError(SeedCase seedCase, Backup backup) {
        String message = backup.file().message();
        assertTrue(message.contains(seedCase.seedName), "seed name in " + backup);
        assertTrue(message.contains(seedCase.seedText()), "seed text in " + backup);
        assertTrue(message.contains(seedCase.detail), "detail '" + seedCase.detail + "' in " + backup);
        assertEquals(seedCase.code, backup.blob().healthCode(), backup.toString());
        assertEquals(YELLOW, backup.blob().healthState(), backup.toString());
        assertTrue(backup.blob().messageStr().contains(seedCase.seedName), backup.toString());
    }

    /** Nothing runs after a precheck error; post runs whenever pre started. */
    private static void assertScriptsRan(SeedCase seedCase) throws IOException {
        List<String> ran = customer.ran();
        switch (seedCase.when) {
            case PRECHECK -> assertEquals(List.of(), ran, "no script runs after a precheck error");
            case PRE_PHASE -> assertEquals("post", ran.get(ran.size() - 1), "post runs after a failed pre: " + ran);
            case POST_PHASE -> assertEquals("pre", ran.get(0), ran.toString());
        }
    }

    /**
     * One backup of {@code disks} fresh page blobs (the first is the OS disk), snapshotted by the
     * guest path; returns once the status is terminal and the worker has exited.
     */
    private static Backup backup(int disks, String locale) throws Exception {
        int number = ++seq;
        List<String> blobs = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        for (int disk = 0; disk < disks; disk++) {
            String blob = "backup" + number + "-disk" + disk + ".vhd";
            azurite.createPageBlob(container, blob, DISK_BYTES);
            blobs.add(blob);
            uris.add(azurite.blobSasUri(container, blob, "rw", Instant.now().plus(Duration.ofHours(1))));
        }
        List<Integer> dataDiskLuns = disks > 1 ? List.of(0) : List.of();
        CommandResult enable = agent.enable(number, SettingsBuilder.snapshot()
                .includedDisks(dataDiskLuns, true)
                .blobSasUris(uris)
                .customSettings(JSON.createObjectNode().put("takeSnapshotFrom", "onlyGuest"))
                .locale(locale)
                .build());
        assertEquals(0, enable.exitCode(), enable.toString());
        AgentStatus status = Await.terminalStatus(agent, number, BACKUP_DONE);
        awaitNoWorker();
        return new Backup(status, BlobDocument.of(status), blobs);
    }

    /** The extension log lines of the worker that ran backup {@code number}. */
    private static List<String> workerLog(int number) throws IOException {
        List<String> lines = Files.readAllLines(agent.handlerLogDir().resolve("extension.log"));
        String start = lines.stream().filter(line -> line.contains("backup-start seq=" + number + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no backup-start for seq " + number));
        String prefix = start.substring(0, start.indexOf(" verb=worker ") + " verb=worker ".length());
        return lines.stream().filter(line -> line.startsWith(prefix)).toList();
    }

    private static void awaitNoWorker() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!Await.workers(agent.baseDir()).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the worker did not exit after its terminal status");
            }
            Thread.sleep(25);
        }
    }
}

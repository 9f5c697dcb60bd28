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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A VM's {@code /etc/azure} exactly as the Python extension's users have it, unchanged, under this
 * package: the plugin config under upstream's name in the shape of Microsoft's sample repository
 * (MicrosoftAzureBackup/VMSnapshotPluginConfig) with its numbers written as strings, a copy of
 * upstream's host config left at the default umask (644), the vmbackup.conf upstream writes itself
 * after a failed parallel snapshot, the empty workload.conf template and the machine identity its
 * install and daemon leave, and the scripts in a user's home. A dry run and a backup must both be
 * application consistent, and the backup's status must carry no warning: nothing here is wrong.
 *
 * <p>The scripts themselves are root-owned, mode 700, in a home directory its user owns: they run
 * from root-only copies, which check and dry-run name as a NOTE and the status does not mention.
 */
class PythonExtensionMigrationTest {
    /** The owner of {@code /home/azureuser}: its user, as on a VM (uid 1000 need not exist here). */
    private static final int HOME_OWNER = 1000;
    private static final Duration BACKUP_DONE = Duration.ofSeconds(60);
    private static final int APPLICATION_CONSISTENT = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RootOnlyDir sandbox;
    private static AgentSimulator agent;
    private static Path ranLog;
    private static Path etcAzure;

    @BeforeAll
    static void installThePackageOnAVmSetUpForThePythonExtension() throws IOException {
        sandbox = RootOnlyDir.create("migration");
        agent = AgentSimulator.inSandbox(sandbox.path());
        agent.download(AgentSimulator.builtZip(), AgentSimulator.builtVersion());
        CommandResult install = agent.run(Operation.INSTALL);
        assertEquals(0, install.exitCode(), install.toString());
        etcAzure = agent.configOverrideDir();
        ranLog = sandbox.resolve("ran.log");
        Path scripts = sandbox.resolve("home/azureuser/scripts");
        Files.createDirectories(scripts);
        Files.setAttribute(scripts.getParent(), "unix:uid", HOME_OWNER);
        Path pre = script(scripts.resolve("pre-backup.sh"), "pre");
        Path post = script(scripts.resolve("post-backup.sh"), "post");
        file("VMSnapshotScriptPluginConfig.json", "rw-------", """
                {
                    "pluginName" : "ScriptRunner",
                    "preScriptLocation" : "%s",
                    "postScriptLocation" : "%s",
                    "preScriptParams" : ["--quiesce", ""],
                    "postScriptParams" : ["", ""],
                    "preScriptNoOfRetries" : "0",
                    "postScriptNoOfRetries" : "0",
                    "timeoutInSeconds" : "30",
                    "continueBackupOnFailure" : true,
                    "fsFreezeEnabled" : true
                }
                """.formatted(pre, post));
        file("VMSnapshotPluginHost.conf", "rw-r--r--", """
                [pre_post]
                timeoutInSeconds: 1800
                numberOfPlugins: 1
                pluginName0: ScriptRunner
                pluginPath0: /etc/azure
                pluginConfigPath0: /etc/azure/VMSnapshotScriptPluginConfig.json
                """);
        file("vmbackup.conf", "rw-r--r--", "[SnapshotThread]\nseqsnapshot = 1\n\n");
        file("workload.conf", "rw-r--r--", "[workload]\n#workload_name valid values- mysql, oracle, mariadb, postgres\n"
                + "workload_name = \ncommand_path = \ncredString = \nipc_folder = \ntimeout = \nlinux_user = \n");
        file("machine_identity_FD76C85E-406F-4CFA-8EB0-CF18B123358B", "rw-r--r--", "6bd8c1a5-0000-4a5e-9d51-2c1e1e6f1b2a");
    }

    @AfterAll
    static void removeTheSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void dryRun_isApplicationConsistent() throws Exception {
        OperatorShell.Result dryRun = shell().run("bin/handle.sh", "dry-run");

        assertEquals(0, dryRun.exitCode(), dryRun.toString());
        assertTrue(dryRun.stdout().contains("OK    all scripts succeeded: a backup would be application consistent"),
                dryRun.toString());
        assertFalse(dryRun.stdout().contains("ERROR"), dryRun.toString());
        assertFalse(dryRun.stdout().contains("WARN"), dryRun.toString());
        assertTrue(dryRun.stdout().contains("NOTE  " + sandbox.resolve("home/azureuser/scripts/pre-backup.sh")
                + " runs from a root-only copy"), dryRun.toString());
    }

    /** check names what of upstream's files is not honoured, without calling it a problem. */
    @Test
    void check_isApplicationConsistent_andNamesTheVmbackupKeyUpstreamWroteAsIgnored() throws Exception {
        OperatorShell.Result check = shell().run("bin/handle.sh", "check");

        assertEquals(0, check.exitCode(), check.toString());
        assertTrue(check.stdout().contains("NOTE  vmbackup.conf: seqsnapshot = 1 is ignored"), check.toString());
        assertFalse(check.stdout().contains("WARN"), check.toString());
    }

    @Test
    void backup_isApplicationConsistent_withNoWarningInTheStatus() throws Exception {
        Files.deleteIfExists(ranLog);
        Azurite azurite = Azurite.shared();
        String container = "migration-" + UUID.randomUUID().toString().substring(0, 8);
        azurite.createContainer(container);
        List<String> uris = new ArrayList<>();
        for (int disk = 0; disk < 2; disk++) {
            String blob = "disk" + disk + ".vhd";
            azurite.createPageBlob(container, blob, 64 * 1024);
            uris.add(azurite.blobSasUri(container, blob, "rw", Instant.now().plus(Duration.ofHours(1))));
        }

        CommandResult enable = agent.enable(1, SettingsBuilder.snapshot().includedDisks(List.of(0), true)
                .blobSasUris(uris).customSettings(JSON.createObjectNode().put("takeSnapshotFrom", "onlyGuest"))
                .build());
        assertEquals(0, enable.exitCode(), enable.toString());
        AgentStatus status = Await.terminalStatus(agent, 1, BACKUP_DONE);
        Await.noWorkers(agent.baseDir(), BACKUP_DONE);

        BlobDocument blob = BlobDocument.of(status);
        assertEquals(0, status.code(), status.toString());
        assertEquals(APPLICATION_CONSISTENT, blob.snapshotConsistency(), status.toString());
        assertEquals(List.of("pre --quiesce", "post"), Files.readAllLines(ranLog));
        assertFalse(status.message().contains("Warning"), status.toString());
        assertTrue(azurite.listSnapshots(container, "disk1.vhd").size() == 1, "the data disk is snapshotted");
    }

    private static OperatorShell shell() {
        return new OperatorShell(agent.baseDir(), Map.of("VMSNAPSHOT_CONFIG_DIR", etcAzure.toString(),
                "VMSNAPSHOT_FREEZE_MOUNTS", ""));
    }

    /** A root-owned, mode-700 script that notes its phase and arguments. */
    private static Path script(Path path, String phase) throws IOException {
        Files.writeString(path, "#!/bin/sh\necho " + phase + " \"$@\" >> '" + ranLog + "'\nexit 0\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        return path;
    }

    private static void file(String name, String mode, String text) throws IOException {
        Path file = etcAzure.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    }
}

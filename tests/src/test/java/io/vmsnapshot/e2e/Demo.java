package io.vmsnapshot.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.SettingsBuilder;
import io.vmsnapshot.e2e.fixtures.LoopMount;
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
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The main job for a newcomer ({@code scripts/demo.sh}): one complete backup of a sandbox VM, the
 * way the Azure VM agent drives it — the built package unzipped the agent's way, encrypted
 * settings, the customer's pre/post scripts, real loop-mounted disks frozen (as root), snapshots of
 * the VM's disks in a local Azurite — then the result and a phase timeline, and a clean-up.
 */
public final class Demo {
    private static final String CONTAINER = "vhds";
    private static final int DISK_MIB = 4;

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        // As root, a RootOnlyDir: the plugin host runs the scripts from a clone anywhere, /tmp included.
        // A user cannot make one; the host also accepts directories of its own uid, so the work dir
        // serves when no one else can write to its path.
        RootOnlyDir rootOnly = isRoot() ? RootOnlyDir.create("demo") : null;
        Path sandbox = rootOnly != null ? rootOnly.path() : workDirSandbox();
        List<LoopMount> mounts = new ArrayList<>();
        try {
            run(sandbox, mounts);
        } finally {
            for (LoopMount mount : mounts) {
                mount.close();
            }
            if (rootOnly != null) {
                rootOnly.close();
            } else {
                deleteTree(sandbox);
            }
        }
        System.exit(0);
    }

    private static Path workDirSandbox() throws IOException {
        Path work = Path.of(System.getProperty("vmsnapshot.work", "tests/target/e2e"));
        Files.createDirectories(work);
        Path sandbox = Files.createTempDirectory(work, "demo-");
        Files.setPosixFilePermissions(sandbox, PosixFilePermissions.fromString("rwx------"));
        return sandbox;
    }

    private static void run(Path sandbox, List<LoopMount> mounts) throws Exception {
        say("starting Azurite (blob storage emulator, from npm)");
        Azurite azurite = Azurite.shared();
        azurite.createContainer(CONTAINER);
        Instant expiry = Instant.now().plus(Duration.ofHours(1));
        List<String> disks = new ArrayList<>();
        for (String disk : List.of("osdisk.vhd", "datadisk0.vhd")) {
            azurite.createPageBlob(CONTAINER, disk, DISK_MIB * 1024L * 1024L);
            byte[] page = java.util.Arrays.copyOf(("demo content of " + disk).getBytes(StandardCharsets.UTF_8), 512);
            azurite.writePages(CONTAINER, disk, 0, page);
            disks.add(azurite.blobSasUri(CONTAINER, disk, "rw", expiry));
        }
        String freezeMounts = "";
        if (isRoot()) {
            say("creating two loop-mounted file systems (ext4) to freeze");
            for (int i = 0; i < 2; i++) {
                mounts.add(LoopMount.create(LoopMount.FsType.EXT4));
            }
            freezeMounts = String.join(":", mounts.stream().map(m -> m.mountPoint().toString()).toList());
        } else {
            say("not root: no loop devices, so nothing is frozen (VMSNAPSHOT_FREEZE_MOUNTS is empty)");
        }
        Path config = customerConfig(sandbox);
        AgentSimulator agent = new AgentSimulator(sandbox.resolve("agent"), AgentSimulator.Options.defaults()
                .withEnvironment("VMSNAPSHOT_CONFIG_DIR", config.toString())
                .withEnvironment("VMSNAPSHOT_FREEZE_MOUNTS", freezeMounts)
                .withEnvironment("VMSNAPSHOT_RUN_DIR", sandbox.resolve("run").toString()));
        String statusBlob = azurite.blobSasUri(CONTAINER, "status.json", "rcw", expiry);
        say("agent: install + enable (settings encrypted to the VM's certificate)");
        Instant start = Instant.now();
        agent.installAndEnable(SettingsBuilder.snapshot()
                .blobSasUris(disks)
                .includedDisks(List.of(0), true)
                .statusBlobUri(statusBlob)
                .logsBlobUri(azurite.blobSasUri(CONTAINER, "logs.txt", "rcw", expiry))
                .customSettings(new ObjectMapper().createObjectNode().put("takeSnapshotFrom", "onlyGuest"))
                .build());
        AgentStatus status = Await.terminalStatus(agent, 0, Duration.ofMinutes(2));
        long elapsed = Duration.between(start, Instant.now()).toMillis();
        report(status, elapsed, azurite);
        say("agent: uninstall");
        agent.uninstall();
    }

    private static void report(AgentStatus status, long elapsedMillis, Azurite azurite) throws IOException {
        JsonNode blob = new ObjectMapper().readTree(status.substatus().get(0).name()).get(0).get("status");
        JsonNode response = new ObjectMapper().readTree(blob.get("formattedMessage").get("message").asText());
        System.out.println();
        System.out.println("Result:      " + blob.get("status").asText() + ", code " + blob.get("code").asText()
                + ", snapshotConsistency " + response.get("snapshotConsistency").asInt());
        System.out.println("Message:     " + status.message());
        System.out.println("Snapshots:");
        for (JsonNode disk : blob.get("snapshotInfo")) {
            System.out.println("  " + (disk.get("isSuccessful").asBoolean() ? "ok     " : "FAILED ")
                    + disk.get("snapshotUri").asText());
        }
        System.out.println("Timeline (ms, in the order the phases ran):");
        java.util.Map<String, String> telemetry = new java.util.HashMap<>();
        blob.get("telemetryData").forEach(e -> telemetry.put(e.get("Key").asText(), e.get("Value").asText()));
        for (String phase : List.of("pre", "prepare", "freeze", "snapshot", "thaw", "post", "freezeWindow", "total")) {
            if (telemetry.containsKey(phase + "Millis")) {
                System.out.printf("  %-18s %6s%n", phase.equals("freezeWindow") ? "(frozen for)" : phase,
                        telemetry.get(phase + "Millis"));
            }
        }
        System.out.printf("  %-18s %6d%n", "enable->status", elapsedMillis);
        System.out.println("Snapshots of the OS disk in storage: "
                + azurite.listSnapshots(CONTAINER, "osdisk.vhd").size());
        System.out.println();
    }

    /** The customer's side: the seed's config (mode 600) and two scripts (mode 700), owned by root. */
    private static Path customerConfig(Path sandbox) throws IOException {
        Path config = Files.createDirectories(sandbox.resolve("etc-azure"));
        Path pre = write(config.resolve("pre.sh"), "#!/bin/sh\necho \"quiescing the application (task $VMSNAPSHOT_TASK_ID)\"\n", "rwx------");
        Path post = write(config.resolve("post.sh"), "#!/bin/sh\necho \"resuming the application (snapshot: $VMSNAPSHOT_SNAPSHOT_OUTCOME)\"\n", "rwx------");
        write(config.resolve("VMSnapshotPluginConfig.json"), """
                {
                    "pluginName" : "ScriptRunner",
                    "preScriptLocation" : "%s",
                    "postScriptLocation" : "%s",
                    "preScriptParams" : [],
                    "postScriptParams" : [],
                    "preScriptNoOfRetries" : 0,
                    "postScriptNoOfRetries" : 0,
                    "timeoutInSeconds" : 30,
                    "continueBackupOnFailure" : true,
                    "fsFreezeEnabled" : true
                }
                """.formatted(pre, post), "rw-------");
        return config;
    }

    private static Path write(Path file, String text, String mode) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static boolean isRoot() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
    }

    private static void say(String line) {
        System.out.println("demo: " + line);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }
}

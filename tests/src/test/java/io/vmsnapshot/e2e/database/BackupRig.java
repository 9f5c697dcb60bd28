package io.vmsnapshot.e2e.database;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.LifecycleResult;
import io.vmsnapshot.e2e.agent.SettingsBuilder;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import io.vmsnapshot.e2e.storage.HostSnapshotEmulator;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A sandbox VM whose data disk (LUN 0) is the test's loop mount: the built package installed and
 * enabled by the agent simulator, freezing exactly that mount, snapshotting through the host
 * snapshot emulator ({@code takeSnapshotFrom: onlyHost}), which copies the disk images. The OS
 * disk is an empty image, so the VM has two disks, as a database VM does.
 */
final class BackupRig implements AutoCloseable {
    private static final int DATA_LUN = 0;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgentSimulator agent;
    private final HostSnapshotEmulator host;

    private BackupRig(AgentSimulator agent, HostSnapshotEmulator host) {
        this.agent = agent;
        this.host = host;
    }

    static BackupRig start(Path sandbox, LoopMount dataDisk) throws IOException {
        Path osImage = sandbox.resolve("os.img");
        try (RandomAccessFile file = new RandomAccessFile(osImage.toFile(), "rw")) {
            file.setLength(1024 * 1024);
        }
        HostSnapshotEmulator host = HostSnapshotEmulator.start(
                Map.of(HostSnapshotEmulator.OS_DISK, osImage, DATA_LUN, dataDisk.image()),
                sandbox.resolve("snapshots"), Clock.systemUTC());
        AgentSimulator agent = new AgentSimulator(sandbox.resolve("vm"), AgentSimulator.Options.defaults()
                .withEnvironment("VMSNAPSHOT_WIRESERVER_URL", host.baseUrl().toString())
                .withEnvironment("VMSNAPSHOT_FREEZE_MOUNTS", dataDisk.mountPoint().toString()));
        return new BackupRig(agent, host);
    }

    /** Where VMSnapshotPluginConfig.json goes (the sandbox's /etc/azure). */
    Path configDir() {
        return agent.configOverrideDir();
    }

    /** Installs and enables the built package with one snapshot request, and waits for its terminal status. */
    BackupResult backup(Duration timeout) throws IOException, InterruptedException {
        JsonNode custom = JSON.createObjectNode().put("takeSnapshotFrom", "onlyHost");
        Instant started = Instant.now();
        LifecycleResult lifecycle = agent.installAndEnable(SettingsBuilder.snapshot()
                .includedDisks(List.of(DATA_LUN), true).customSettings(custom).build());
        if (!lifecycle.allSucceeded()) {
            throw new AssertionError("install and enable: " + lifecycle);
        }
        AgentStatus status = terminalStatus(timeout);
        Instant ended = Instant.now();
        JsonNode serviceStatus = BackupResult.serviceStatusOf(status);
        Optional<Path> snapshot = Optional.empty();
        for (JsonNode info : serviceStatus.path("snapshotInfo")) {
            String uri = info.path("snapshotUri").asText("");
            if (uri.contains("/lun" + DATA_LUN + ".img")) {
                snapshot = host.snapshotFile(uri);
            }
        }
        return new BackupResult(status, serviceStatus, started, ended, snapshot);
    }

    private AgentStatus terminalStatus(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Optional<AgentStatus> status = Optional.empty();
        while (Instant.now().isBefore(deadline)) {
            status = agent.statusIfPresent(0);
            if (status.isPresent() && status.get().isTerminal()) {
                return status.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no terminal status within " + timeout + "; last: " + status + "\n" + handlerLog());
    }

    /** What the scripts printed, as the extension logged it (script-output lines). */
    List<String> scriptOutput() throws IOException {
        return handlerLog().lines().filter(line -> line.contains("script-output")).toList();
    }

    /** The extension's log, for failure messages. */
    String handlerLog() throws IOException {
        StringBuilder text = new StringBuilder();
        if (Files.isDirectory(agent.handlerLogDir())) {
            try (var files = Files.list(agent.handlerLogDir())) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    text.append("--- ").append(file.getFileName()).append('\n').append(Files.readString(file));
                }
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        host.close();
    }
}

package io.vmsnapshot.e2e.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.e2e.agent.AgentSimulator.HandlerState;
import io.vmsnapshot.e2e.agent.AgentSimulator.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator against a tiny shell handler that records how it was called: layout, settings,
 * environment, sessions, timeouts and the §8 update order, independent of the Java handler.
 */
class AgentSimulatorTest {
    /** Logs one line per call; enable writes mrseq and a success status; FAIL_INSTALL / HANG change behaviour. */
    private static final String FAKE_HANDLER = """
            #!/bin/sh
            set -eu
            base="$(cd "${0%/*}/.." && pwd)"
            set -- "$@" $(cut -d' ' -f4,5,6 /proc/$$/stat)
            echo "$1 ver=$AZURE_GUEST_AGENT_EXTENSION_VERSION seq=$ConfigSequenceNumber pid=$$ ppid=$2 pgrp=$3 sid=$4 \
            cwd=$(pwd) uninstall=${AZURE_GUEST_AGENT_UNINSTALL_CMD_EXIT_CODE:-} VERSION=${VERSION:-} \
            from=${AZURE_GUEST_AGENT_UPDATING_FROM_VERSION:-} disable=${AZURE_GUEST_AGENT_DISABLE_CMD_EXIT_CODE:-} \
            path=$AZURE_GUEST_AGENT_EXTENSION_PATH wire=$AZURE_GUEST_AGENT_WIRE_PROTOCOL_ADDRESS \
            freeze=[$VMSNAPSHOT_FREEZE_MOUNTS] agentdir=$VMSNAPSHOT_AGENT_DIR" >> "$CALLS_LOG"
            case "$1" in
                install) [ -z "${FAIL_INSTALL:-}" ] || exit 52 ;;
                enable)
                    if [ -n "${HANG:-}" ]; then
                        sleep 60 & echo $! > "$base/child.pid"
                        setsid sleep 60 & echo $! > "$base/escaped.pid"
                        wait
                    fi
                    echo "$ConfigSequenceNumber" > "$base/mrseq"
                    printf '[{"status":{"status":"success","code":0,"formattedMessage":{"lang":"en-US","message":"ok"}}}]' \
                        > "$base/status/$ConfigSequenceNumber.status" ;;
            esac
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path sandbox;
    private Path callsLog;
    private Path zip;

    @BeforeEach
    void buildFakePackage() throws IOException {
        callsLog = sandbox.resolve("calls.log");
        zip = sandbox.resolve("fake.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("HandlerManifest.json"));
            out.write(Files.readAllBytes(Path.of(System.getProperty("vmsnapshot.repo"), "HandlerManifest.json")));
            out.putNextEntry(new ZipEntry("bin/handle.sh"));
            out.write(FAKE_HANDLER.getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("manifest.xml"));
            out.write("<ExtensionImage><Version>1.0.0.0</Version></ExtensionImage>".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void download_laysOutTheBaseDirAndWritesHandlerEnvironmentExactlyAsTheAgent() throws IOException {
        AgentSimulator agent = agent(AgentSimulator.Options.defaults());
        Path base = agent.download(zip, "1.0.0.0");

        assertEquals(agent.libDir().resolve(AgentSimulator.HANDLER_NAME + "-1.0.0.0"), base);
        assertEquals("rwx------", mode(agent.libDir()));
        assertEquals("rwx------", mode(base.resolve("config")));
        assertEquals("rwx------", mode(base.resolve("status")));
        assertEquals("rwxr--r--", mode(base.resolve("bin/handle.sh")));
        String environment = Files.readString(base.resolve("HandlerEnvironment.json"));
        Path log = agent.handlerLogDir();
        assertEquals("[{\"name\": \"" + AgentSimulator.HANDLER_NAME + "\", \"version\": 1.0, \"handlerEnvironment\": {"
                + "\"logFolder\": \"" + log + "\", \"configFolder\": \"" + base.resolve("config") + "\", "
                + "\"statusFolder\": \"" + base.resolve("status") + "\", \"heartbeatFile\": \"" + base.resolve("heartbeat.log")
                + "\", \"eventsFolder\": \"" + log.resolve("events") + "\", \"eventsFolder_preview\": \""
                + log.resolve("events") + "\"}}]", environment);
    }

    @Test
    void writeSettings_writesTheAgentsShape_withProtectedSettingsForTheTenantCertificate() throws IOException {
        AgentSimulator agent = agent(AgentSimulator.Options.defaults());
        agent.download(zip, "1.0.0.0");
        Settings settings = SettingsBuilder.snapshot().taskId("task-1").build();

        agent.writeSettings("1.0.0.0", 5, settings);

        JsonNode file = JSON.readTree(agent.configDir().resolve("5.settings").toFile());
        JsonNode handlerSettings = file.get("runtimeSettings").get(0).get("handlerSettings");
        assertEquals("task-1", handlerSettings.get("publicSettings").get("taskId").asText());
        assertEquals(agent.certificate().thumbprint(), handlerSettings.get("protectedSettingsCertThumbprint").asText());
        assertFalse(handlerSettings.get("protectedSettings").asText().contains("blobSASUri"), "encrypted");
        assertTrue(Files.readString(agent.configDir().resolve("5.settings")).startsWith("{\"runtimeSettings\": [{"));
    }

    @Test
    void run_startsTheCommandInANewSession_inTheBaseDir_withTheAgentsVariables() throws IOException {
        AgentSimulator agent = agent(AgentSimulator.Options.defaults());
        Path base = agent.download(zip, "1.0.0.0");
        agent.writeSettings("1.0.0.0", 3, SettingsBuilder.snapshot().build());

        CommandResult enable = agent.run(Operation.ENABLE);

        assertEquals(0, enable.exitCode(), enable.toString());
        String call = Files.readString(callsLog).trim();
        // The "/bin/sh -c" shell leads a new session and process group; the script runs inside them.
        String shell = field(call, "ppid");
        assertEquals(shell, field(call, "pgrp"), "the -c shell leads the process group: " + call);
        assertEquals(shell, field(call, "sid"), "and the session: " + call);
        assertEquals(base.toString(), field(call, "cwd"));
        assertEquals(base.toString(), field(call, "path"));
        assertEquals("3", field(call, "seq"));
        assertEquals("127.0.0.1", field(call, "wire"));
        assertEquals("[]", field(call, "freeze"), "the sandbox freezes nothing by default");
        assertEquals(agent.libDir().toString(), field(call, "agentdir"));
    }

    @Test
    void run_killsTheWholeProcessGroupOnTimeout_butNotAProcessThatLeftIt() throws Exception {
        // The fake handler must have started both sleeps before the kill: 3 s, for a loaded machine.
        AgentSimulator agent = agent(AgentSimulator.Options.defaults().withEnvironment("HANG", "1")
                .withTimeout(Operation.ENABLE, Duration.ofSeconds(3)));
        Path base = agent.download(zip, "1.0.0.0");
        agent.writeSettings("1.0.0.0", 0, SettingsBuilder.snapshot().build());

        CommandResult enable = agent.run(Operation.ENABLE);

        assertTrue(enable.timedOut(), enable.toString());
        long child = Long.parseLong(Files.readString(base.resolve("child.pid")).trim());
        long escaped = Long.parseLong(Files.readString(base.resolve("escaped.pid")).trim());
        try {
            assertTrue(stopsWithin(child, Duration.ofSeconds(10)), "group member killed");
            assertTrue(isRunning(escaped), "setsid'd process survives");
        } finally {
            ProcessHandle.of(escaped).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void installAndEnable_stopsAfterAFailedInstall_andLeavesNotInstalled() throws IOException {
        AgentSimulator agent = agent(AgentSimulator.Options.defaults().withEnvironment("FAIL_INSTALL", "1"));

        LifecycleResult result = agent.installAndEnable(zip, "1.0.0.0", 0, SettingsBuilder.snapshot().build());

        assertTrue(result.aborted());
        assertEquals("install 1.0.0.0=52", result.exitCodes());
        assertEquals(HandlerState.NOT_INSTALLED, agent.state());
    }

    @Test
    void update_followsTheAgentsOrder_passesExitCodes_andCarriesMrseqAndStatusFiles() throws IOException {
        AgentSimulator agent = agent(AgentSimulator.Options.defaults());
        LifecycleResult first = agent.installAndEnable(zip, "1.0.0.0", 4, SettingsBuilder.snapshot().build());
        assertTrue(first.allSucceeded(), first.toString());
        Path oldBase = agent.baseDir();

        LifecycleResult update = agent.update();

        assertTrue(update.allSucceeded(), update.toString());
        assertEquals("disable 1.0.0.0=0, update 1.0.0.1=0, uninstall 1.0.0.0=0, install 1.0.0.1=0, enable 1.0.0.1=0",
                update.exitCodes());
        List<String> calls = Files.readAllLines(callsLog);
        String updateCall = calls.get(calls.size() - 4);
        assertEquals("1.0.0.1", field(updateCall, "VERSION"));
        assertEquals("1.0.0.0", field(updateCall, "from"));
        assertEquals("0", field(updateCall, "disable"));
        assertEquals("0", field(calls.get(calls.size() - 2), "uninstall"), "install gets the old uninstall's code");
        assertEquals("0", field(calls.get(calls.size() - 1), "uninstall"), "so does enable");
        assertEquals("NOT_RUN", field(calls.get(0), "uninstall"), "first install: NOT_RUN");
        assertFalse(Files.exists(oldBase), "old version removed");
        assertEquals("1.0.0.1", agent.version());
        assertEquals(HandlerState.ENABLED, agent.state());
        assertEquals("4", Files.readString(agent.baseDir().resolve("mrseq")).trim());
        assertEquals("1.0.0.1", PackageVersions.declaredVersion(sandbox.resolve("agent/vmsnapshot-linux-1.0.0.1.zip")));
        assertEquals("success", agent.status(4).status());
    }

    @Test
    void update_fromAVersionThatWasNotEnabled_passesNoneAsTheDisableExitCode() throws IOException {
        AgentSimulator agent = agent(AgentSimulator.Options.defaults());
        agent.installAndEnable(zip, "1.0.0.0", 0, SettingsBuilder.snapshot().build());
        agent.disable();

        LifecycleResult update = agent.update();

        assertEquals("update 1.0.0.1=0, uninstall 1.0.0.0=0, install 1.0.0.1=0, enable 1.0.0.1=0", update.exitCodes());
        List<String> calls = Files.readAllLines(callsLog);
        assertEquals("None", field(calls.get(calls.size() - 4), "disable"), "the agent's quirk (contract §6)");
    }

    @Test
    void uninstall_disablesAnEnabledHandlerFirst_thenRemovesTheBaseDir_butKeepsTheLogDir() throws IOException {
        AgentSimulator agent = agent(AgentSimulator.Options.defaults());
        agent.installAndEnable(zip, "1.0.0.0", 0, SettingsBuilder.snapshot().build());
        Path base = agent.baseDir();

        LifecycleResult uninstall = agent.uninstall();

        assertEquals("disable 1.0.0.0=0, uninstall 1.0.0.0=0", uninstall.exitCodes());
        assertFalse(Files.exists(base));
        assertTrue(Files.isDirectory(agent.handlerLogDir()));
        assertEquals(HandlerState.NOT_INSTALLED, agent.state());
    }

    private AgentSimulator agent(AgentSimulator.Options options) throws IOException {
        return new AgentSimulator(sandbox.resolve("agent"), options.withEnvironment("CALLS_LOG", callsLog.toString()));
    }

    private static String field(String line, String name) {
        for (String part : line.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + line);
    }

    /** A SIGKILL takes effect when the process is next scheduled: a moment on a loaded machine. */
    private static boolean stopsWithin(long pid, Duration wait) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (isRunning(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Alive and not a zombie waiting for a reaper (a killed orphan may stay one in a container). */
    private static boolean isRunning(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String text = Files.readString(stat);
        return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

}

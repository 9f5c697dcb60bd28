package io.vmsnapshot.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentSimulator.Operation;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.agent.SettingsBuilder;
import io.vmsnapshot.e2e.agent.TenantCertificate;
import io.vmsnapshot.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input ends in a specific message (in the status when one can be written, else on stderr),
 * a clean exit (no stack trace as the only output), and the previous status left as it was.
 * Each case first completes a good backup (seq 0), then breaks one thing and runs enable for seq 1.
 * Enable reports what is wrong with the public settings; the protected ones it leaves encrypted, and
 * the worker reports what is wrong with them in the terminal status.
 */
class BadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path sandbox;
    private AgentSimulator agent;
    private byte[] previousStatus;

    /** What one case breaks, before enable runs for seq 1. */
    @FunctionalInterface
    interface Breakage {
        void apply(AgentSimulator agent) throws IOException;
    }

    @AfterEach
    void letTheWorkersFinish() throws Exception {
        if (agent == null) {
            return;
        }
        try {
            Await.noWorkers(agent.baseDir(), Duration.ofSeconds(30));
        } catch (IllegalStateException uninstalled) {
            // no package left, so no worker either
        }
    }

    @BeforeEach
    void completeAGoodBackup() throws Exception {
        agent = AgentSimulator.inSandbox(sandbox);
        agent.installAndEnable(SettingsBuilder.snapshot().build());
        Await.terminalStatus(agent, 0, Duration.ofSeconds(60));
        previousStatus = Files.readAllBytes(agent.statusFile(0));
    }

    static Stream<Arguments> settingsProblems() {
        return Stream.of(
                Arguments.of("settings not JSON", ErrorCode.SETTINGS_INVALID, "1.settings",
                        (Breakage) a -> a.writeRawSettings(a.version(), 1, "{\"runtimeSettings\": [")),
                Arguments.of("two runtimeSettings", ErrorCode.SETTINGS_INVALID, "runtimeSettings",
                        (Breakage) a -> a.writeRawSettings(a.version(), 1, "{\"runtimeSettings\": [{\"handlerSettings\": "
                                + "{\"publicSettings\": {}}}, {\"handlerSettings\": {\"publicSettings\": {}}}]}")),
                Arguments.of("no settings file for the sequence number", ErrorCode.SETTINGS_INVALID, "1.settings",
                        (Breakage) a -> {
                            a.writeRawSettings(a.version(), 1, "");
                            Files.delete(a.configDir().resolve("1.settings"));
                        }),
                Arguments.of("unknown commandToExecute", ErrorCode.SETTINGS_INVALID, "commandToExecute",
                        (Breakage) a -> a.writeSettings(a.version(), 1,
                                SettingsBuilder.snapshot().commandToExecute("backup-everything").build())),
                Arguments.of("objectStr missing", ErrorCode.SETTINGS_INVALID, "objectStr",
                        (Breakage) a -> a.writeSettings(a.version(), 1, SettingsBuilder.snapshot().buildWithoutPublicObjectStr())),
                Arguments.of("objectStr not base64", ErrorCode.SETTINGS_INVALID, "objectStr",
                        (Breakage) a -> a.writeSettings(a.version(), 1,
                                SettingsBuilder.snapshot().publicObjectStrRaw("*** not base64 ***").build())),
                Arguments.of("objectStr not JSON", ErrorCode.SETTINGS_INVALID, "objectStr",
                        (Breakage) a -> a.writeSettings(a.version(), 1, SettingsBuilder.snapshot().publicObjectStrRaw(
                                Base64.getEncoder().encodeToString("not json".getBytes(StandardCharsets.UTF_8))).build())),
                Arguments.of("taskId empty", ErrorCode.SETTINGS_INVALID, "taskId",
                        (Breakage) a -> a.writeSettings(a.version(), 1,
                                SettingsBuilder.snapshot().publicField("taskId", TextNode.valueOf("")).build())));
    }

    /** What one case breaks in the protected settings of the request for {@code seq}, of task {@code taskId}. */
    @FunctionalInterface
    interface ProtectedBreakage {
        void apply(AgentSimulator agent, int seq, String taskId) throws IOException;
    }

    /** Enable leaves the protected settings encrypted: these reach the worker, which reports them. */
    static Stream<Arguments> protectedSettingsProblems() {
        return Stream.of(
                Arguments.of("protected settings not base64", ErrorCode.PROTECTED_SETTINGS_DECRYPT_FAILED, "protectedSettings",
                        (ProtectedBreakage) (a, seq, task) -> a.writeSettings(a.version(), seq,
                                SettingsBuilder.snapshot().taskId(task).build().withRawProtectedSettings("%%% not base64 %%%"))),
                Arguments.of("protected settings encrypted to another certificate",
                        ErrorCode.PROTECTED_SETTINGS_DECRYPT_FAILED, "protectedSettings",
                        (ProtectedBreakage) (a, seq, task) -> a.writeSettings(a.version(), seq,
                                SettingsBuilder.snapshot().taskId(task).build()
                                        .encryptedTo(TenantCertificate.generate("someone-else")))),
                Arguments.of("certificate missing", ErrorCode.CERTIFICATE_NOT_FOUND, ".crt",
                        (ProtectedBreakage) (a, seq, task) -> {
                            a.writeSettings(a.version(), seq, SettingsBuilder.snapshot().taskId(task).build());
                            Files.deleteIfExists(a.certificate().certificateFile(a.libDir()));
                        }),
                Arguments.of("private key missing", ErrorCode.CERTIFICATE_NOT_FOUND, ".prv",
                        (ProtectedBreakage) (a, seq, task) -> {
                            a.writeSettings(a.version(), seq, SettingsBuilder.snapshot().taskId(task).build());
                            Files.deleteIfExists(a.certificate().privateKeyFile(a.libDir()));
                        }),
                Arguments.of("thumbprint missing", ErrorCode.SETTINGS_INVALID, "protectedSettingsCertThumbprint",
                        (ProtectedBreakage) (a, seq, task) -> {
                            a.writeSettings(a.version(), seq, SettingsBuilder.snapshot().taskId(task).build());
                            Path file = a.configDir().resolve(seq + ".settings");
                            JsonNode root = JSON.readTree(file.toFile());
                            ((ObjectNode) root.at("/runtimeSettings/0/handlerSettings"))
                                    .remove("protectedSettingsCertThumbprint");
                            a.writeRawSettings(a.version(), seq, root.toString());
                        }),
                Arguments.of("protected customSettings not JSON", ErrorCode.SETTINGS_INVALID, "customSettings",
                        (ProtectedBreakage) (a, seq, task) -> a.writeSettings(a.version(), seq, SettingsBuilder.snapshot()
                                .taskId(task).protectedField("customSettings", TextNode.valueOf("{oops sig=s3cr3t")).build())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protectedSettingsProblems")
    void enableDoesNotDecryptTheProtectedSettings_theWorkerReportsAProtectedSettingsFailure(
            String problem, ErrorCode expected, String mentioned, ProtectedBreakage breakage) throws Exception {
        String task = "broken-protected-settings";
        breakage.apply(agent, 1, task);

        CommandResult enable = agent.run(Operation.ENABLE);

        assertCleanExit(enable);
        assertEquals(0, enable.exitCode(), "enable accepts what it does not decrypt: " + enable);
        AgentStatus status = Await.terminalStatus(agent, 1, Duration.ofSeconds(60));
        assertEquals("error", status.status(), problem);
        assertEquals(expected.code(), status.code(), problem + ": " + status);
        assertTrue(status.message().contains(mentioned), problem + ": the message names " + mentioned + ": " + status.message());
        assertFalse(status.message().contains("sig="), "no secret in the message");
        assertArrayEquals(previousStatus, Files.readAllBytes(agent.statusFile(0)), "previous status intact");
        Await.noWorkers(agent.baseDir(), Duration.ofSeconds(30));
        assertFalse(Files.readString(agent.configDir().resolve("1.settings")).contains("\"protectedSettings\""),
                "the protected settings are scrubbed");
        assertFalse(Files.readString(agent.handlerLogDir().resolve("extension.log")).contains("backup-start seq=1"),
                "no backup, no script, no freeze for a request that cannot be decrypted");

        // The same task again: enable reports the worker's verdict, finished in the task record.
        breakage.apply(agent, 2, task);
        assertCleanExit(agent.run(Operation.ENABLE));
        AgentStatus repeat = agent.status(2);
        assertEquals("error", repeat.status(), problem + ": " + repeat);
        assertEquals(expected.code(), repeat.code(), problem + ": " + repeat);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settingsProblems")
    void badSettings_giveASpecificErrorStatus_andLeaveThePreviousStatusIntact(String problem, ErrorCode expected,
                                                                             String mentioned, Breakage breakage)
            throws Exception {
        breakage.apply(agent);

        CommandResult enable = agent.run(Operation.ENABLE);

        assertCleanExit(enable);
        AgentStatus status = agent.status(1);
        assertEquals("error", status.status(), problem);
        assertEquals(expected.code(), status.code(), problem + ": " + status);
        assertTrue(status.message().contains(mentioned), problem + ": the message names " + mentioned + ": " + status.message());
        assertFalse(status.message().contains("sig="), "no secret in the message");
        assertArrayEquals(previousStatus, Files.readAllBytes(agent.statusFile(0)), "previous status intact");
    }

    @Test
    void handlerEnvironmentMissing_saysSoOnStderr_andLeavesThePreviousStatusIntact() throws Exception {
        Files.delete(agent.baseDir().resolve("HandlerEnvironment.json"));
        agent.writeSettings(agent.version(), 1, SettingsBuilder.snapshot().build());

        CommandResult enable = agent.run(Operation.ENABLE);

        assertCleanExit(enable);
        assertTrue(enable.stderr().contains("HandlerEnvironment.json"), enable.toString());
        assertArrayEquals(previousStatus, Files.readAllBytes(agent.statusFile(0)));
    }

    @Test
    void handlerEnvironmentCorrupt_saysSoOnStderr_andLeavesThePreviousStatusIntact() throws Exception {
        Files.writeString(agent.baseDir().resolve("HandlerEnvironment.json"), "[{\"name\": ");
        agent.writeSettings(agent.version(), 1, SettingsBuilder.snapshot().build());

        CommandResult enable = agent.run(Operation.ENABLE);

        assertCleanExit(enable);
        assertTrue(enable.stderr().contains("HandlerEnvironment.json"), enable.toString());
        assertArrayEquals(previousStatus, Files.readAllBytes(agent.statusFile(0)));
    }

    @Test
    void statusFolderUnwritable_saysSoOnStderr() throws Exception {
        // Root ignores permission bits; a status folder below a regular file cannot be written by anyone.
        Path environment = agent.baseDir().resolve("HandlerEnvironment.json");
        Files.writeString(environment, Files.readString(environment).replace(
                "\"statusFolder\": \"" + agent.baseDir().resolve("status"),
                "\"statusFolder\": \"" + agent.baseDir().resolve("HandlerManifest.json/status")));
        agent.writeSettings(agent.version(), 1, SettingsBuilder.snapshot().build());

        CommandResult enable = agent.run(Operation.ENABLE);

        assertCleanExit(enable);
        assertTrue(enable.stderr().contains("status"), enable.toString());
        assertArrayEquals(previousStatus, Files.readAllBytes(agent.statusFile(0)));
    }

    @Test
    void statusFileSystemFull_saysSoOnStderr_andLeavesThePreviousStatusIntact() throws Exception {
        Path status = agent.baseDir().resolve("status");
        Path saved = Files.createDirectories(sandbox.resolve("saved-status"));
        Files.copy(agent.statusFile(0), saved.resolve("0.status"));
        Exec.Result mount = Exec.run(sandbox, List.of("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", status.toString()));
        CiRequirement.require(mount.exitCode() == 0, "needs root with CAP_SYS_ADMIN to mount a tmpfs: " + mount);
        try {
            Files.copy(saved.resolve("0.status"), agent.statusFile(0));
            Exec.run(sandbox, List.of("dd", "if=/dev/zero", "of=" + status.resolve("filler"), "bs=4k", "count=64"));
            agent.writeSettings(agent.version(), 1, SettingsBuilder.snapshot().build());

            CommandResult enable = agent.run(Operation.ENABLE);

            assertCleanExit(enable);
            assertTrue(enable.stderr().contains("No space left") || enable.stderr().contains("status"), enable.toString());
            assertArrayEquals(previousStatus, Files.readAllBytes(agent.statusFile(0)), "previous status intact");
            try (Stream<Path> files = Files.list(status)) {
                assertEquals(List.of("0.status", "filler"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                        "no half-written temp file left behind");
            }
        } finally {
            Exec.run(sandbox, List.of("umount", status.toString()));
        }
    }

    private static void assertCleanExit(CommandResult result) {
        assertFalse(result.timedOut(), result.toString());
        assertFalse(result.stderr().contains("Exception in thread"), "no bare stack trace: " + result);
        assertFalse(result.stderr().contains("Error occurred during initialization of VM"), result.toString());
    }

}

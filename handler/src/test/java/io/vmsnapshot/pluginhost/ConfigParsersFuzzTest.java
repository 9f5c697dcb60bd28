package io.vmsnapshot.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.prepost.Finding;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.Precheck;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import io.vmsnapshot.process.FakeProcessLauncher;
import io.vmsnapshot.testing.Fuzz;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile plugin configs and host configs (issue 7 §6): the parsers always return, every problem is
 * a finding with the config's own error code that names the file, and whatever they accept is
 * within the documented ranges. Through the public {@link PluginHost} API the same inputs give a
 * precheck and a phase result, never an exception.
 */
class ConfigParsersFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALID_PLUGIN_CONFIG = "{\"pluginName\":\"ScriptRunner\","
            + "\"preScriptLocation\":\"/etc/azure/pre.sh\",\"postScriptLocation\":\"/etc/azure/post.sh\","
            + "\"preScriptParams\":[\"a\",\"\"],\"postScriptParams\":[\"b\"],\"preScriptNoOfRetries\":1,"
            + "\"postScriptNoOfRetries\":0,\"timeoutInSeconds\":30,\"continueBackupOnFailure\":true,"
            + "\"fsFreezeEnabled\":true}";
    private static final Set<ErrorCode> PREPOST_CODES = Set.of(ErrorCode.PLUGINHOST_CONFIG_INVALID,
            ErrorCode.PLUGIN_CONFIG_INVALID, ErrorCode.PRE_SCRIPT_NOT_FOUND, ErrorCode.POST_SCRIPT_NOT_FOUND,
            ErrorCode.PRE_SCRIPT_PERMISSION, ErrorCode.POST_SCRIPT_PERMISSION, ErrorCode.PLUGINHOST_CONFIG_NOT_FOUND,
            ErrorCode.PLUGINHOST_CONFIG_PERMISSION, ErrorCode.PLUGINHOST_CONFIG_OWNERSHIP,
            ErrorCode.PLUGIN_CONFIG_NOT_FOUND, ErrorCode.PLUGIN_CONFIG_PERMISSION, ErrorCode.PLUGIN_CONFIG_OWNERSHIP,
            ErrorCode.PRE_SCRIPT_FAILED, ErrorCode.POST_SCRIPT_FAILED);

    private final Fixture fx = new Fixture();

    @AfterEach
    void cleanUp() {
        fx.close();
    }

    @Test
    void pluginConfigParser_hostileJson_returnsAConfigInRangeOrAFindingNamingTheFile() {
        Fuzz.run("PluginConfigParser", 11, Fuzz.iterations(4000), (random, i) -> {
            byte[] json = hostilePluginConfig(random);
            Findings findings = new Findings();
            Optional<PluginConfig> config = new PluginConfigParser().parse(json, "/etc/azure/cfg.json", findings)
                    .config();
            if (config.isEmpty()) {
                assertEquals(1, findings.errorCount(), "one finding for a refused config");
                Finding finding = findings.errors().get(0);
                assertEquals(ErrorCode.PLUGIN_CONFIG_INVALID, finding.error());
                assertTrue(finding.detail().startsWith("/etc/azure/cfg.json: "), finding.detail());
                return;
            }
            PluginConfig accepted = config.get();
            assertTrue(accepted.timeoutSeconds() >= 1 && accepted.timeoutSeconds() <= HostConfigParser.MAX_TIMEOUT_SECONDS,
                    "timeout " + accepted.timeoutSeconds());
            for (ScriptPhase phase : ScriptPhase.values()) {
                accepted.script(phase).ifPresent(script -> {
                    assertTrue(script.location().isAbsolute());
                    assertTrue(script.retries() >= 0);
                    assertFalse(script.params().contains(""));
                });
            }
        });
    }

    @Test
    void hostConfigParser_hostileIni_returnsPluginsInRangeAndFindingsOfItsOwnCode() {
        Fuzz.run("HostConfigParser", 12, Fuzz.iterations(4000), (random, i) -> {
            String ini = hostileHostConfig(random);
            Findings findings = new Findings();
            HostConfig host = new HostConfigParser().parse(ini, "/etc/azure/host.conf", false, findings);
            assertTrue(host.timeoutSeconds() >= 1 && host.timeoutSeconds() <= HostConfigParser.MAX_TIMEOUT_SECONDS,
                    "timeout " + host.timeoutSeconds());
            assertTrue(host.plugins().size() <= HostConfigParser.MAX_PLUGINS);
            host.plugins().forEach(plugin -> assertTrue(plugin.configPath().isAbsolute(), plugin.toString()));
            for (Finding finding : findings.errors()) {
                assertEquals(ErrorCode.PLUGINHOST_CONFIG_INVALID, finding.error());
                assertTrue(finding.detail().startsWith("/etc/azure/host.conf: "), finding.detail());
            }
        });
    }

    /** Both files on disk as a customer would leave them, read and run by the host itself. */
    @Test
    void pluginHost_hostileConfigFiles_prechecksAndRunsWithoutThrowing() {
        fx.script("pre.sh", "exit 0");
        fx.script("post.sh", "exit 0");
        Fuzz.run("PluginHost.configs", 13, Fuzz.iterations(1500), (random, i) -> {
            Files.deleteIfExists(fx.etc.resolve("VMSnapshotPluginHost.conf"));
            if (random.nextInt(3) == 0) {
                privateFile(fx.etc.resolve("VMSnapshotPluginHost.conf"), hostileHostConfig(random)
                        .replace("/etc/azure/", fx.etc + "/").getBytes(StandardCharsets.UTF_8));
            }
            String plugin = new String(hostilePluginConfig(random), StandardCharsets.ISO_8859_1)
                    .replace("/etc/azure/pre.sh", fx.box.root().resolve("scripts/pre.sh").toString())
                    .replace("/etc/azure/post.sh", fx.box.root().resolve("scripts/post.sh").toString());
            privateFile(fx.etc.resolve("VMSnapshotPluginConfig.json"), plugin.getBytes(StandardCharsets.ISO_8859_1));
            FakeProcessLauncher launcher = new FakeProcessLauncher();
            for (int k = 0; k < 8; k++) {
                launcher.thenExit(random.nextInt(3));
            }
            PluginHost host = fx.host(launcher);
            Precheck precheck = host.precheck();
            precheck.findings().forEach(f -> assertTrue(PREPOST_CODES.contains(f.error()), f.toString()));
            host.run(ScriptPhase.PRE, new ScriptContext("task", Map.of()))
                    .errors().forEach(f -> assertTrue(PREPOST_CODES.contains(f.error()), f.toString()));
            host.run(ScriptPhase.POST, new ScriptContext("task", Map.of()));
        });
    }

    /** Bytes as they are (not every mutation is valid UTF-8), with the mode a customer must use. */
    private static void privateFile(Path file, byte[] content) throws Exception {
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static byte[] hostilePluginConfig(Random random) throws Exception {
        JsonNode valid = JSON.readTree(VALID_PLUGIN_CONFIG);
        return switch (random.nextInt(3)) {
            case 0 -> Fuzz.mutateBytes(random, VALID_PLUGIN_CONFIG.getBytes(StandardCharsets.UTF_8));
            case 1 -> Fuzz.mutateBytes(random, JSON.writeValueAsBytes(Fuzz.mutateTree(random, valid)));
            default -> JSON.writeValueAsBytes(Fuzz.mutateTree(random, valid));
        };
    }

    private static String hostileHostConfig(Random random) {
        StringBuilder ini = new StringBuilder();
        List<String> keys = List.of("timeoutInSeconds", "numberOfPlugins", "pluginName0", "pluginPath0",
                "pluginConfigPath0", "pluginName1", "pluginConfigPath1", "pluginName31", "pluginConfigPath40");
        List<String> values = List.of("1800", "0", "-1", "99999999999", "ScriptRunner", "/etc/azure/VMSnapshotPluginConfig.json",
                "relative/path.json", "", "2", "33", "1e3", "/etc/azure/../../proc/self/environ");
        ini.append(random.nextInt(8) == 0 ? "[PRE_POST]" : "[pre_post]").append(random.nextBoolean() ? "\n" : "\r\n");
        int lines = random.nextInt(12);
        for (int i = 0; i < lines; i++) {
            String key = random.nextInt(6) == 0 ? Fuzz.hostileString(random) : Fuzz.pick(random, keys);
            String value = random.nextInt(4) == 0 ? Fuzz.hostileString(random) : Fuzz.pick(random, values);
            String separator = Fuzz.pick(random, List.of(": ", "=", " = ", ":", " "));
            ini.append(key).append(separator).append(value).append(random.nextInt(5) == 0 ? "\r\n" : "\n");
            if (random.nextInt(10) == 0) {
                ini.append(Fuzz.pick(random, List.of("[other]\n", "# comment\n", "; c\n", "[\n", "]\n", "\u0000\n")));
            }
        }
        String text = ini.toString();
        return random.nextInt(4) == 0
                ? new String(Fuzz.mutateBytes(random, text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8)
                : text;
    }
}

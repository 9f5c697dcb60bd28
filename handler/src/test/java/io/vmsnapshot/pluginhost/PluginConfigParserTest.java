package io.vmsnapshot.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PluginConfigParserTest {
    private final Findings findings = new Findings();

    private Optional<PluginConfig> parse(String json) {
        return new PluginConfigParser().parse(json.getBytes(StandardCharsets.UTF_8), "cfg.json", findings);
    }

    private String problems() {
        assertEquals(1, findings.errors().size(), findings.errors().toString());
        assertEquals(ErrorCode.PLUGIN_CONFIG_INVALID, findings.errors().get(0).error());
        return findings.errors().get(0).detail();
    }

    @Test
    void parse_seedSample_isValidAndConfiguresNoScript() throws Exception {
        PluginConfig config = parse(java.nio.file.Files.readString(Path.of("../scripts/conf/VMSnapshotPluginConfig.json")))
                .orElseThrow();

        assertFalse(config.configuresScripts());
        assertEquals(30, config.timeoutSeconds());
        assertTrue(config.continueBackupOnFailure() && config.fsFreezeEnabled());
    }

    @Test
    void parse_fullConfig_dropsEmptyParamsAndKeepsRetries() {
        PluginConfig config = parse("{\"preScriptLocation\": \"/opt/pre.sh\", \"postScriptLocation\": \"\","
                + " \"preScriptParams\": [\"\", \"-x\"], \"preScriptNoOfRetries\": 2}").orElseThrow();

        assertEquals(new PhaseScript(Path.of("/opt/pre.sh"), List.of("-x"), 2), config.pre().orElseThrow());
        assertEquals(Optional.empty(), config.post());
        assertEquals(PluginConfigParser.DEFAULT_TIMEOUT_SECONDS, config.timeoutSeconds());
    }

    @Test
    void parse_everyBadField_isNamedInOneFinding() {
        parse("{\"pluginName\": \"Other\", \"preScriptLocation\": \"pre.sh\", \"postScriptLocation\": 5,"
                + " \"preScriptParams\": [1], \"timeoutInSeconds\": 0, \"continueBackupOnFailure\": \"false\"}");

        String detail = problems();
        for (String expected : List.of("cfg.json", "pluginName", "preScriptLocation: \"pre.sh\" is not an absolute path",
                "postScriptLocation: must be a string", "preScriptParams[0]", "timeoutInSeconds: must be at least 1",
                "continueBackupOnFailure")) {
            assertTrue(detail.contains(expected), expected + " missing in: " + detail);
        }
    }

    @Test
    void parse_missingLocation_isAnError() {
        parse("{\"preScriptLocation\": \"\"}");

        assertTrue(problems().contains("postScriptLocation: is missing"));
    }

    @Test
    void parse_duplicateKeysOrTrailingGarbage_areErrors() {
        parse("{\"preScriptLocation\": \"\", \"preScriptLocation\": \"\", \"postScriptLocation\": \"\"}");
        parse("{\"preScriptLocation\": \"\", \"postScriptLocation\": \"\"} x");

        assertEquals(2, findings.errors().size());
    }

    @Test
    void parse_unknownField_isAWarningOnly() {
        assertTrue(parse("{\"preScriptLocation\": \"\", \"postScriptLocation\": \"\", \"colour\": 1}").isPresent());
        assertEquals(1, findings.warnings().size());
    }

    @Test
    void parse_nestingDeeperThanTheParserAllows_isAFindingNotACrash() {
        assertTrue(parse("{\"preScriptParams\": " + "[".repeat(5000) + "]".repeat(5000) + "}").isEmpty());

        assertTrue(problems().startsWith("cfg.json: not valid JSON: "), problems());
    }
}

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
        return parsed(json).config();
    }

    private PluginConfigParser.Parsed parsed(String json) {
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
        parse("{\"preScriptLocation\": \"pre.sh\", \"postScriptLocation\": 5,"
                + " \"preScriptParams\": [{}], \"timeoutInSeconds\": 0, \"continueBackupOnFailure\": \"maybe\"}");

        String detail = problems();
        for (String expected : List.of("cfg.json", "preScriptLocation: \"pre.sh\" is not an absolute path",
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
    void parse_trailingGarbage_isAnError() {
        parse("{\"preScriptLocation\": \"\", \"postScriptLocation\": \"\"} x");

        assertEquals(1, findings.errors().size());
    }

    @Test
    void parse_duplicateKeys_takeTheLastValueAsUpstreamDidAndNameTheField() {
        PluginConfig config = parse("{\"preScriptLocation\": \"/opt/old.sh\", \"postScriptLocation\": \"\","
                + " \"preScriptLocation\": \"/opt/pre.sh\"}").orElseThrow();

        assertEquals(Path.of("/opt/pre.sh"), config.pre().orElseThrow().location());
        assertEquals(List.of(), findings.errors());
        assertTrue(findings.warnings().get(0).contains("preScriptLocation appears more than once"),
                findings.warnings().toString());
    }

    @Test
    void parse_numbersAsStringsAndIntegralFloats_areTakenSilentlyAsUpstreamDid() {
        PluginConfig config = parse("{\"preScriptLocation\": \"/opt/pre.sh\", \"postScriptLocation\": \"\","
                + " \"preScriptNoOfRetries\": \"2\", \"timeoutInSeconds\": 60.0}").orElseThrow();

        assertEquals(2, config.pre().orElseThrow().retries());
        assertEquals(60, config.timeoutSeconds());
        assertEquals(List.of(), findings.warnings());
    }

    @Test
    void parse_booleansAsStrings_meanWhatTheySayWithAWarning() {
        PluginConfig config = parse("{\"preScriptLocation\": \"\", \"postScriptLocation\": \"\","
                + " \"fsFreezeEnabled\": \"false\", \"continueBackupOnFailure\": \"True\"}").orElseThrow();

        assertFalse(config.fsFreezeEnabled(), "upstream's Python took \"false\" as true; the customer meant false");
        assertTrue(config.continueBackupOnFailure());
        assertEquals(2, findings.warnings().size(), findings.warnings().toString());
        assertTrue(findings.warnings().get(0).contains("without quotes"), findings.warnings().toString());
    }

    @Test
    void parse_paramsThatAreNotStrings_arePassedAsTheirTextWithAWarning() {
        PluginConfig config = parse("{\"preScriptLocation\": \"/opt/pre.sh\", \"postScriptLocation\": \"\","
                + " \"preScriptParams\": [\"-p\", 5432, true, 1.5]}").orElseThrow();

        assertEquals(List.of("-p", "5432", "true", "1.5"), config.pre().orElseThrow().params());
        assertEquals(3, findings.warnings().size(), findings.warnings().toString());
    }

    @Test
    void parse_anotherPluginName_isAWarningNotAnError() {
        assertTrue(parse("{\"pluginName\": \"MyRunner\", \"preScriptLocation\": \"\", \"postScriptLocation\": \"\"}")
                .isPresent());
        assertTrue(findings.warnings().get(0).contains("pluginName is \"MyRunner\""), findings.warnings().toString());
    }

    @Test
    void parse_negativeRetries_areZeroWithAWarning() {
        PluginConfig config = parse("{\"preScriptLocation\": \"/opt/pre.sh\", \"postScriptLocation\": \"\","
                + " \"preScriptNoOfRetries\": -1}").orElseThrow();

        assertEquals(0, config.pre().orElseThrow().retries());
        assertTrue(findings.warnings().get(0).contains("negative"), findings.warnings().toString());
    }

    @Test
    void parse_aValueThatStaysUnusable_isA305NamingTheField() {
        parse("{\"preScriptLocation\": \"\", \"postScriptLocation\": \"\", \"timeoutInSeconds\": \"thirty\"}");

        assertTrue(problems().contains("timeoutInSeconds: must be a whole number, is \"thirty\""), problems());
    }

    @Test
    void parse_withAnUnusableField_stillReportsTheFreezeSettingTheCustomerWrote() {
        PluginConfigParser.Parsed parsed = parsed("{\"preScriptLocation\": \"\", \"postScriptLocation\": \"\","
                + " \"timeoutInSeconds\": \"thirty\", \"fsFreezeEnabled\": false, \"continueBackupOnFailure\": false}");

        assertTrue(parsed.config().isEmpty());
        assertFalse(parsed.fsFreezeEnabled());
        assertFalse(parsed.continueBackupOnFailure());
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

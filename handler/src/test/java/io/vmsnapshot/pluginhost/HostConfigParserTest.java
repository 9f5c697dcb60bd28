package io.vmsnapshot.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.prepost.Finding;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostConfigParserTest {
    private final Findings findings = new Findings();

    private HostConfig parse(String text) {
        return new HostConfigParser().parse(text, "host.conf", false, findings);
    }

    @Test
    void parse_packagedDefault_givesOneScriptRunner() {
        HostConfig config = parse(Fixture.DEFAULT_HOST_CONFIG);

        assertEquals(1800, config.timeoutSeconds());
        assertEquals(List.of(new HostConfig.Plugin(0, "ScriptRunner", Path.of("/etc/azure/VMSnapshotPluginConfig.json"))),
                config.plugins());
        assertEquals(List.of(), findings.errors());
    }

    @Test
    void parse_equalsSeparatorAndMixedCaseKeys_areAccepted() {
        HostConfig config = parse("[pre_post]\nTIMEOUTINSECONDS = 60\nnumberofplugins=1\npluginname0 = ScriptRunner\n"
                + "PluginConfigPath0 = /etc/azure/a.json\n");

        assertEquals(60, config.timeoutSeconds());
        assertEquals(1, config.plugins().size());
    }

    @Test
    void parse_timeoutAboveTheCap_isCappedWithAWarning() {
        assertEquals(1800, parse("[pre_post]\ntimeoutInSeconds: 9999\n").timeoutSeconds());
        assertEquals(1, findings.warnings().size());
    }

    @Test
    void parse_badEntry_isReportedAndTheNextEntryStillRead() {
        HostConfig config = parse("[pre_post]\nnumberOfPlugins: 2\npluginName0: Other\npluginConfigPath0: rel.json\n"
                + "pluginName1: ScriptRunner\npluginConfigPath1: /etc/azure/b.json\n");

        assertEquals(List.of(1), config.plugins().stream().map(HostConfig.Plugin::index).toList());
        List<Finding> errors = findings.errors();
        assertEquals(2, errors.size());
        assertTrue(errors.stream().allMatch(f -> f.error() == ErrorCode.PLUGINHOST_CONFIG_INVALID));
        assertTrue(errors.get(0).detail().contains("pluginName0"), errors.toString());
        assertTrue(errors.get(1).detail().contains("pluginConfigPath0 'rel.json' is not an absolute path"),
                errors.toString());
    }

    @Test
    void parse_missingSection_isAnError() {
        parse("timeoutInSeconds: 5\n");

        assertTrue(findings.errors().get(0).detail().contains("[pre_post]"), findings.errors().toString());
    }

    @Test
    void parse_configPathWithANulByte_isAFindingNotACrash() {
        HostConfig config = parse("[pre_post]\nnumberOfPlugins: 1\npluginName0: ScriptRunner\n"
                + "pluginConfigPath0: /etc/azure/a\u0000b.json\n");

        assertEquals(List.of(), config.plugins());
        assertEquals(ErrorCode.PLUGINHOST_CONFIG_INVALID, findings.errors().get(0).error());
        assertTrue(findings.errors().get(0).detail().contains("pluginConfigPath0 is not a valid path"),
                findings.errors().get(0).detail());
    }
}

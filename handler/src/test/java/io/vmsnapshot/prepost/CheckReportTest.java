package io.vmsnapshot.prepost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.Messages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckReportTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private CheckVerdict render(Precheck precheck, String locale) {
        return new CheckReport(Messages.forLocale(locale)).render(precheck, out);
    }

    @Test
    void render_findings_namesTheSeedErrorAndTheActionAndExitsNonZero() {
        Precheck precheck = new Precheck(List.of(new Finding(ErrorCode.PRE_SCRIPT_PERMISSION, "/opt/pre.sh has mode 0755")),
                true, true, true, true, List.of("unknown field colour"));

        CheckVerdict exit = render(precheck, "en-US");

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(CheckVerdict.PROBLEMS, exit);
        assertTrue(text.contains("InsufficientPermissionforPre-Script (306): /opt/pre.sh has mode 0755"), text);
        assertTrue(text.contains("action: " + Messages.forLocale("en-US").action(ErrorCode.PRE_SCRIPT_PERMISSION)), text);
        assertTrue(text.contains("WARN  unknown field colour"), text);
    }

    @Test
    void render_nothingConfigured_saysSoAndExitsOne() {
        CheckVerdict exit = render(new Precheck(List.of(), false, false, true, true, List.of()), "en-US");

        assertEquals(CheckVerdict.NOT_CONFIGURED, exit);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("no pre/post script is configured"));
    }

    @Test
    void render_onlyAPostScriptConfigured_saysNothingQuiescesAndExitsOne() {
        CheckVerdict exit = render(new Precheck(List.of(), true, false, false, true, List.of()), "en-US");

        assertEquals(CheckVerdict.NOT_CONFIGURED, exit);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("no pre-script is configured"));
    }

    @Test
    void render_scriptsReady_exitsZero() {
        assertEquals(CheckVerdict.APP_CONSISTENT,
                render(new Precheck(List.of(), true, true, true, false, List.of()), "zh-CN"));
    }

    @Test
    void render_chineseLocale_usesTheChineseMessages() {
        render(new Precheck(List.of(new Finding(ErrorCode.PLUGINHOST_CORRUPT, "x")), true, true, true, true, List.of()),
                "zh-CN");

        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains(
                Messages.forLocale("zh-CN").message(ErrorCode.PLUGINHOST_CORRUPT)));
    }
}

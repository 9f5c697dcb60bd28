package io.vmsnapshot.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.prepost.Finding;
import io.vmsnapshot.prepost.PhaseResult;
import io.vmsnapshot.prepost.Precheck;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import io.vmsnapshot.prepost.ScriptResult;
import io.vmsnapshot.process.FakeProcessLauncher;
import io.vmsnapshot.process.ProcessSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The host's logic with a strict fake launcher: argv, environment, retries, deadlines, several plugins. */
class ScriptPluginHostTest {
    private static final ScriptContext CONTEXT = new ScriptContext("task-7",
            Map.of(ScriptContext.SNAPSHOT_OUTCOME_ENV, "success", "VMSNAPSHOT_PHASE", "forged"));

    private final Fixture fx = new Fixture();
    private final FakeProcessLauncher launcher = new FakeProcessLauncher();

    @AfterEach
    void cleanUp() {
        fx.close();
    }

    @Test
    void run_scriptWithShebang_isExecutedDirectlyWithParamsAndDocumentedEnvironment() {
        Path pre = fx.script("pre.sh", "exit 0");
        fx.pluginConfig(pre.toString(), "", "\"preScriptParams\": [\"a b\", \"\", \"$(x)\"]");
        launcher.thenExit(0);

        PhaseResult result = fx.host(launcher).run(ScriptPhase.PRE, CONTEXT);

        ProcessSpec spec = launcher.started().get(0);
        assertEquals(List.of(pre.toString(), "a b", "$(x)"), spec.argv());
        assertEquals(pre.getParent(), spec.workDir());
        assertEquals(Map.of("PATH", ScriptCommand.PATH, "HOME", fx.uid == 0 ? "/root" : "/",
                "VMSNAPSHOT_PHASE", "pre", "VMSNAPSHOT_TASK_ID", "task-7", "VMSNAPSHOT_PLUGIN", "ScriptRunner#0",
                "VMSNAPSHOT_ATTEMPT", "1", "VMSNAPSHOT_TIMEOUT_SECONDS", "10",
                ScriptContext.SNAPSHOT_OUTCOME_ENV, "success"), spec.env());
        assertTrue(result.applicationConsistent());
    }

    @Test
    void run_scriptWithoutShebang_runsUnderSh() {
        Path pre = fx.box.file("scripts/pre", "exit 0\n", "rwx------");
        fx.pluginConfig(pre.toString(), "", "");
        launcher.thenExit(0);

        fx.host(launcher).run(ScriptPhase.PRE, CONTEXT);

        assertEquals(List.of("/bin/sh", pre.toString()), launcher.started().get(0).argv());
    }

    @Test
    void run_retries_stopAtTheFirstSuccessAndCountAttempts() {
        Path post = fx.script("post.sh", "exit 0");
        fx.pluginConfig("", post.toString(), "\"postScriptNoOfRetries\": 5");
        launcher.thenExit(1).thenTimeout().thenExit(0);

        ScriptResult result = fx.host(launcher).run(ScriptPhase.POST, CONTEXT).scripts().get(0);

        assertEquals(3, result.attempts());
        assertTrue(result.succeeded());
        assertEquals(List.of("1", "2", "3"),
                launcher.started().stream().map(spec -> spec.env().get("VMSNAPSHOT_ATTEMPT")).toList());
        launcher.assertAllUsed();
    }

    @Test
    void run_lastAttemptTimedOut_givesTheTimeoutError() {
        Path pre = fx.script("pre.sh", "exit 0");
        fx.pluginConfig(pre.toString(), "", "\"preScriptNoOfRetries\": 1");
        launcher.thenExit(2).thenTimeout();

        ScriptResult result = fx.host(launcher).run(ScriptPhase.PRE, CONTEXT).scripts().get(0);

        assertEquals(Optional.of(ErrorCode.PRE_SCRIPT_TIMEOUT), result.error());
    }

    @Test
    void run_scriptThatCannotStart_countsAsAFailedAttempt() {
        Path pre = fx.script("pre.sh", "exit 0");
        fx.pluginConfig(pre.toString(), "", "\"preScriptNoOfRetries\": 1");
        launcher.then(new FakeProcessLauncher.FailsToStart("Exec format error")).thenExit(0);

        ScriptResult result = fx.host(launcher).run(ScriptPhase.PRE, CONTEXT).scripts().get(0);

        assertEquals(2, result.attempts());
        assertTrue(result.succeeded());
    }

    @Test
    void run_failureWithContinueBackupOnFailureFalse_saysTheBackupMustStop() {
        Path pre = fx.script("pre.sh", "exit 0");
        fx.pluginConfig(pre.toString(), "", "\"continueBackupOnFailure\": false, \"fsFreezeEnabled\": false");
        launcher.thenExit(1, "db not ready");

        PhaseResult result = fx.host(launcher).run(ScriptPhase.PRE, CONTEXT);

        assertFalse(result.continueBackup());
        assertFalse(result.applicationConsistent());
        Finding error = result.firstError().orElseThrow();
        assertEquals(ErrorCode.PRE_SCRIPT_FAILED, error.error());
        assertTrue(error.detail().contains("exit code 1") && error.detail().contains("db not ready"), error.detail());
    }

    @Test
    void precheck_reportsTheConfigsFlags() {
        Path pre = fx.script("pre.sh", "exit 0");
        fx.pluginConfig(pre.toString(), "", "\"continueBackupOnFailure\": false, \"fsFreezeEnabled\": false,"
                + " \"timeoutInSeconds\": 5000, \"colour\": 1");

        Precheck precheck = fx.host(launcher).precheck();

        assertTrue(precheck.runsScripts());
        assertTrue(precheck.preScriptConfigured());
        assertFalse(precheck.fsFreezeEnabled());
        assertFalse(precheck.continueBackupOnFailure());
        assertEquals(2, precheck.warnings().size(), precheck.warnings().toString());
    }

    @Test
    void precheck_withOnlyAPostScript_saysScriptsRunButNoPreScriptIsConfigured() {
        Path post = fx.script("post.sh", "exit 0");
        fx.pluginConfig("", post.toString(), "\"fsFreezeEnabled\": false");

        Precheck precheck = fx.host(launcher).precheck();

        assertTrue(precheck.runsScripts());
        assertFalse(precheck.preScriptConfigured());
    }

    @Test
    void precheck_withTheEnhancedFrameworksWorkloadConf_warnsThatItIsNotRun() {
        fx.box.file("etc/workload.conf", "[workload]\nworkload_name = oracle\n", "rw-------");

        Precheck precheck = fx.host(launcher).precheck();

        assertEquals(List.of(), precheck.findings());
        assertTrue(precheck.warnings().get(0).contains("workload.conf (Microsoft's enhanced pre/post script framework)"
                + " is present but this extension does not run it"), precheck.warnings().toString());
    }

    @Test
    void run_withPrecheckFindings_runsNothing() {
        fx.pluginConfig("{]");

        PhaseResult result = fx.host(launcher).run(ScriptPhase.PRE, CONTEXT);

        assertEquals(List.of(), launcher.started());
        assertEquals(ErrorCode.PLUGIN_CONFIG_INVALID, result.firstError().orElseThrow().error());
    }

    private void hostTimeoutOfOneSecond() {
        fx.hostConfig("[pre_post]\ntimeoutInSeconds: 1\nnumberOfPlugins: 1\n"
                + "pluginName0: ScriptRunner\npluginConfigPath0: /etc/azure/VMSnapshotPluginConfig.json\n");
    }

    /** Both limits fall together; the script's own ran out, and the host's may already be at its cap. */
    @Test
    void run_firstAttemptCutByTheHostDeadlineEqualToTheScriptsOwnTimeout_isTheScriptsTimeout308() {
        Path hung = fx.script("hung.sh", "exit 0");
        fx.pluginConfig(hung.toString(), "", "\"timeoutInSeconds\": 1");
        hostTimeoutOfOneSecond();
        launcher.thenHang();

        PhaseResult result = fx.host(launcher).run(ScriptPhase.PRE, CONTEXT);

        assertEquals(ErrorCode.PRE_SCRIPT_TIMEOUT, result.firstError().orElseThrow().error());
        assertTrue(result.firstError().orElseThrow().detail().contains("timed out"), result.toString());
    }

    @Test
    void run_retryCutByTheHostDeadline_isStillTheHostTimeout310() {
        Path flaky = fx.script("flaky.sh", "exit 0");
        fx.pluginConfig(flaky.toString(), "", "\"timeoutInSeconds\": 1, \"preScriptNoOfRetries\": 1");
        hostTimeoutOfOneSecond();
        launcher.thenExit(1).thenHang();

        PhaseResult result = fx.host(launcher).run(ScriptPhase.PRE, CONTEXT);

        assertEquals(ErrorCode.PLUGINHOST_PRE_TIMEOUT, result.firstError().orElseThrow().error());
    }

    @Test
    void run_hostDeadline_killsEveryHungPluginAndNamesEach() {
        Path good = fx.script("good.sh", "exit 0");
        fx.box.file("etc/b.json", "{\"preScriptLocation\": \"" + good + "\", \"postScriptLocation\": \"\"}",
                "rw-------");
        fx.pluginConfig(good.toString(), "", "");
        fx.hostConfig("[pre_post]\ntimeoutInSeconds: 1\nnumberOfPlugins: 2\n"
                + "pluginName0: ScriptRunner\npluginConfigPath0: /etc/azure/VMSnapshotPluginConfig.json\n"
                + "pluginName1: ScriptRunner\npluginConfigPath1: /etc/azure/b.json\n");
        launcher.thenHang().thenHang();

        PhaseResult result = fx.host(launcher).run(ScriptPhase.PRE, CONTEXT);

        assertEquals(2, launcher.terminations());
        assertEquals(List.of("ScriptRunner#0", "ScriptRunner#1"),
                result.scripts().stream().map(ScriptResult::plugin).toList());
        assertEquals(List.of(ErrorCode.PLUGINHOST_PRE_TIMEOUT, ErrorCode.PLUGINHOST_PRE_TIMEOUT),
                result.errors().stream().map(Finding::error).toList());
    }

    @Test
    void precheck_badPluginFirst_stillValidatesAndReportsThePluginsAfterIt() {
        Path missing = fx.etc.resolveSibling("missing.sh");
        fx.box.file("etc/b.json", "{\"preScriptLocation\": \"" + missing + "\", \"postScriptLocation\": \"\"}",
                "rw-------");
        fx.pluginConfig("{\"timeoutInSeconds\": \"30\"}");
        fx.hostConfig("[pre_post]\nnumberOfPlugins: 3\n"
                + "pluginName0: ScriptRunner\npluginConfigPath0: /etc/azure/VMSnapshotPluginConfig.json\n"
                + "pluginName1: CustomThing\npluginConfigPath1: /etc/azure/b.json\n"
                + "pluginName2: ScriptRunner\npluginConfigPath2: /etc/azure/b.json\n");

        List<ErrorCode> codes = fx.host(launcher).precheck().findings().stream().map(Finding::error).toList();

        assertEquals(List.of(ErrorCode.PLUGINHOST_CONFIG_INVALID, ErrorCode.PLUGIN_CONFIG_INVALID,
                ErrorCode.PRE_SCRIPT_NOT_FOUND), codes);
    }

    @Test
    void precheck_upstreamPluginConfigName_isAcceptedWhenTheSeedNameIsAbsent() {
        Path pre = fx.script("pre.sh", "exit 0");
        fx.box.file("etc/VMSnapshotScriptPluginConfig.json", "{\"preScriptLocation\": \"" + pre
                + "\", \"postScriptLocation\": \"\"}", "rw-------");

        assertTrue(fx.host(launcher).precheck().runsScripts());
    }

    @Test
    void precheck_bothConfigNamesWithoutAHostConfig_usesTheOneThePythonExtensionRanAndSaysSo() {
        Path pre = fx.script("pre.sh", "exit 0");
        fx.pluginConfig("", "", "");
        fx.box.file("etc/VMSnapshotScriptPluginConfig.json", "{\"preScriptLocation\": \"" + pre
                + "\", \"postScriptLocation\": \"\"}", "rw-------");

        Precheck precheck = fx.host(launcher).precheck();

        assertTrue(precheck.runsScripts());
        assertTrue(precheck.warnings().stream().anyMatch(w -> w.contains("VMSnapshotScriptPluginConfig.json is used and"
                + " VMSnapshotPluginConfig.json is ignored, because the Python extension ran")), precheck.warnings()::toString);
    }

    @Test
    void precheck_bothConfigNamesWithAHostConfigNamingOne_usesTheNamedOne() {
        Path pre = fx.script("pre.sh", "exit 0");
        fx.pluginConfig(pre.toString(), "", "");
        fx.box.file("etc/VMSnapshotScriptPluginConfig.json", "{\"preScriptLocation\": \"\", \"postScriptLocation\": \"\"}",
                "rw-------");
        fx.hostConfig(Fixture.DEFAULT_HOST_CONFIG);

        Precheck precheck = fx.host(launcher).precheck();

        assertTrue(precheck.runsScripts());
        assertTrue(precheck.warnings().stream().anyMatch(w -> w.contains("VMSnapshotPluginConfig.json is used and"
                + " VMSnapshotScriptPluginConfig.json is ignored")), precheck.warnings()::toString);
    }

    /** The Python extension's install copied this template onto every VM: it sets nothing up. */
    @Test
    void precheck_theUntouchedWorkloadTemplateUpstreamsInstallLeft_isNoWarning() {
        fx.box.file("etc/workload.conf", "[workload]\n#workload_name valid values- mysql, oracle, mariadb, postgres\n"
                + "workload_name = \ncommand_path = \ncredString = \nipc_folder = \ntimeout = \nlinux_user = \n", "rw-r--r--");

        assertEquals(List.of(), fx.host(launcher).precheck().warnings());
    }
}

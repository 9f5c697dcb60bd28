package io.vmsnapshot.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.prepost.Finding;
import io.vmsnapshot.prepost.PhaseResult;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.Precheck;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import io.vmsnapshot.prepost.ScriptResult;
import io.vmsnapshot.process.GroupProcessLauncher;
import io.vmsnapshot.testing.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every pre/post seed error, produced by real config files and real scripts run by the real launcher. */
class PrePostCodesTest {
    private static final GroupProcessLauncher LAUNCHER = GroupProcessLauncher.system();
    private static final ScriptContext CONTEXT = new ScriptContext("task-1", Map.of());

    private final Fixture fx = new Fixture();

    @AfterEach
    void cleanUp() {
        fx.close();
    }

    private Precheck precheck() {
        return fx.host(LAUNCHER).precheck();
    }

    private static ErrorCode first(Precheck precheck) {
        return precheck.firstError().map(Finding::error).orElseThrow(() -> new AssertionError("no finding"));
    }

    private static ScriptResult only(PhaseResult result) {
        assertEquals(1, result.scripts().size(), result.toString());
        return result.scripts().get(0);
    }

    @Test
    void precheck_noPluginConfig_isNotConfiguredAndNotAnError() {
        Precheck precheck = precheck();

        assertEquals(List.of(), precheck.findings());
        assertFalse(precheck.scriptsConfigured());
        assertEquals(List.of(), fx.host(LAUNCHER).run(ScriptPhase.PRE, CONTEXT).scripts());
    }

    /** Anyone could have deleted the customer's config: its absence is not "nothing configured". */
    @ParameterizedTest
    @ValueSource(strings = {"rwxrwxrwx", "rwxrwxr-x", "rwxr-x-w-"})
    void precheck_noPluginConfigInADirectoryOthersCanWrite_gives317(String mode) {
        Sandbox.chmod(fx.etc, mode);

        Precheck precheck = precheck();

        assertEquals(ErrorCode.PLUGIN_CONFIG_PERMISSION, first(precheck));
        assertTrue(precheck.findings().get(0).detail().contains(fx.etc + " has mode"), precheck.toString());
        assertFalse(precheck.runsScripts());
    }

    @Test
    void precheck_noPluginConfigInADirectoryOfAnotherOwner_gives318() {
        Sandbox.chown(fx.etc, 65534);

        assertEquals(ErrorCode.PLUGIN_CONFIG_OWNERSHIP, first(precheck()));
    }

    @Test
    void precheck_noPluginConfigInADirectoryReadableByAll_isNotConfigured() {
        Sandbox.chmod(fx.etc, "rwxr-xr-x");

        assertEquals(List.of(), precheck().findings());
    }

    @Test
    void run_failingPreScriptWithTwoRetries_runsExactlyThreeTimesAndGives300() throws Exception {
        Path counter = fx.etc.resolveSibling("runs");
        Path pre = fx.script("pre.sh", "echo run >> " + counter + "; echo failing; exit 3");
        fx.pluginConfig(pre.toString(), "", "\"preScriptNoOfRetries\": 2");

        ScriptResult result = only(fx.host(LAUNCHER).run(ScriptPhase.PRE, CONTEXT));

        assertEquals(3, Files.readAllLines(counter).size());
        assertEquals(3, result.attempts());
        assertEquals(3, result.exitCode());
        assertEquals(Optional.of(ErrorCode.PRE_SCRIPT_FAILED), result.error());
        assertEquals(List.of("failing"), result.lastLines());
    }

    @Test
    void run_failingPostScript_gives301() {
        Path post = fx.script("post.sh", "exit 1");
        fx.pluginConfig("", post.toString(), "");

        PhaseResult result = fx.host(LAUNCHER).run(ScriptPhase.POST, CONTEXT);

        assertEquals(ErrorCode.POST_SCRIPT_FAILED, result.firstError().orElseThrow().error());
        assertTrue(result.continueBackup());
    }

    @Test
    void precheck_missingScripts_give302And303() {
        fx.pluginConfig(fx.etc.resolveSibling("nope/pre.sh").toString(), fx.etc.resolveSibling("post.sh").toString(), "");

        List<Finding> findings = precheck().findings();

        assertEquals(List.of(ErrorCode.PRE_SCRIPT_NOT_FOUND, ErrorCode.POST_SCRIPT_NOT_FOUND),
                findings.stream().map(Finding::error).toList());
    }

    @Test
    void precheck_unparsableHostConfig_gives304NamingTheKey() {
        fx.hostConfig("[pre_post]\ntimeoutInSeconds: soon\nnumberOfPlugins: 1\npluginName0: ScriptRunner\n"
                + "pluginConfigPath0: /etc/azure/VMSnapshotPluginConfig.json\n");

        Precheck precheck = precheck();

        assertEquals(ErrorCode.PLUGINHOST_CONFIG_INVALID, first(precheck));
        assertTrue(precheck.findings().get(0).detail().contains("timeoutInSeconds"), precheck.toString());
    }

    @Test
    void precheck_badJson_gives305() {
        fx.pluginConfig("{\"preScriptLocation\": ");

        assertEquals(ErrorCode.PLUGIN_CONFIG_INVALID, first(precheck()));
    }

    @Test
    void precheck_fieldOfWrongType_gives305NamingFileFieldAndProblem() {
        Path config = fx.pluginConfig("", "", "\"preScriptNoOfRetries\": \"two\", \"fsFreezeEnabled\": \"yes\"");

        Finding finding = precheck().findings().get(0);

        assertEquals(ErrorCode.PLUGIN_CONFIG_INVALID, finding.error());
        assertTrue(finding.detail().contains(config.toString()), finding.detail());
        assertTrue(finding.detail().contains("preScriptNoOfRetries: must be a whole number"), finding.detail());
        assertTrue(finding.detail().contains("fsFreezeEnabled: must be true or false"), finding.detail());
    }

    /** Upstream froze anyway; the customer said no freeze, and the bad timeout does not change that. */
    @Test
    void precheck_fieldOfWrongTypeBesideFsFreezeDisabled_gives305AndKeepsTheFreezeOff() {
        Path pre = fx.script("pre.sh", "exit 0");
        fx.pluginConfig(pre.toString(), "", "\"timeoutInSeconds\": \"thirty\", \"fsFreezeEnabled\": false");

        Precheck precheck = precheck();

        assertEquals(ErrorCode.PLUGIN_CONFIG_INVALID, first(precheck));
        assertFalse(precheck.fsFreezeEnabled());
        assertFalse(precheck.runsScripts());
    }

    @Test
    void precheck_upstreamStyleValues_runTheScriptsWithWarnings() {
        Path pre = fx.script("pre.sh", "exit 0");
        fx.pluginConfig(pre.toString(), "", "\"preScriptNoOfRetries\": \"0\", \"timeoutInSeconds\": 60.0,"
                + " \"fsFreezeEnabled\": \"false\", \"preScriptParams\": [5432]");

        Precheck precheck = precheck();

        assertEquals(List.of(), precheck.findings());
        assertTrue(precheck.runsScripts());
        assertFalse(precheck.fsFreezeEnabled());
        assertEquals(2, precheck.warnings().size(), precheck.warnings().toString());
    }

    @Test
    void precheck_preScriptReadableByOthers_gives306() {
        Path pre = fx.script("pre.sh", "exit 0");
        Sandbox.chmod(pre, "rwxr-xr-x");
        fx.pluginConfig(pre.toString(), "", "");

        assertEquals(ErrorCode.PRE_SCRIPT_PERMISSION, first(precheck()));
    }

    @Test
    void precheck_postScriptOfAnotherOwner_gives307() {
        Path post = fx.script("post.sh", "exit 0");
        Sandbox.chown(post, 65534);
        fx.pluginConfig("", post.toString(), "");

        Finding finding = precheck().findings().get(0);

        assertEquals(ErrorCode.POST_SCRIPT_PERMISSION, finding.error());
        assertTrue(finding.detail().contains("owned by uid 65534"), finding.detail());
    }

    /** The seed's "anywhere on the VM": what runs is the copy of the bytes checked, so nobody can swap them. */
    @Test
    void run_scriptInGroupWritableDirectory_runsFromACopyAndCheckSaysSo() throws Exception {
        Path pre = fx.script("pre.sh", "echo \"$0|$VMSNAPSHOT_SCRIPT_PATH|$(pwd)\"");
        Sandbox.chmod(pre.getParent(), "rwxrwx---");
        fx.pluginConfig(pre.toString(), "", "");
        PluginHost host = fx.host(LAUNCHER);

        Precheck precheck = host.precheck();
        ScriptResult result = only(host.run(ScriptPhase.PRE, CONTEXT));

        assertEquals(List.of(), precheck.findings());
        assertTrue(precheck.notes().get(0).contains("runs from a root-only copy")
                && precheck.notes().get(0).contains("directory " + pre.getParent() + " has mode 0770"),
                precheck.notes().toString());
        assertEquals(List.of(), precheck.warnings(), "a copy is how a valid setup runs, not a problem for the status");
        String[] seen = result.lastLines().get(0).split("\\|");
        assertTrue(seen[0].startsWith(fx.copies + "/") && seen[0].endsWith("/pre.sh"), seen[0]);
        assertEquals(List.of(pre.toString(), pre.getParent().toString()), List.of(seen[1], seen[2]));
        assertFalse(Files.exists(Path.of(seen[0])), "the copy is removed after the run");
    }

    @Test
    void precheck_scriptHeldOpenForWritingByAnotherProcess_gives306NamingIt() throws Exception {
        Path pre = fx.script("pre.sh", "exit 0");
        fx.pluginConfig(pre.toString(), "", "");
        Process writer = new ProcessBuilder("/bin/sh", "-c", "exec 3>>" + pre + "; echo open; exec sleep 30").start();
        try {
            assertEquals("open", new String(writer.getInputStream().readNBytes(4)));

            Finding finding = precheck().findings().get(0);

            assertEquals(ErrorCode.PRE_SCRIPT_PERMISSION, finding.error());
            assertTrue(finding.detail().contains("held open for writing by [pid " + writer.pid()), finding.detail());
        } finally {
            writer.destroyForcibly().waitFor();
        }
    }

    @Test
    void precheck_interpreterInADirectoryOthersCanWrite_gives306NamingTheInterpreter() {
        Path python = fx.box.file("venv/bin/python3", "#!/bin/sh\nexit 0\n", "rwxr-xr-x");
        Sandbox.chmod(python.getParent(), "rwxrwxr-x");
        Path pre = fx.box.file("scripts/pre.py", "#!" + python + "\nprint('hi')\n", "rwx------");
        fx.pluginConfig(pre.toString(), "", "");

        Finding finding = precheck().findings().get(0);

        assertEquals(ErrorCode.PRE_SCRIPT_PERMISSION, finding.error());
        assertTrue(finding.detail().contains("its interpreter " + python)
                && finding.detail().contains("directory " + python.getParent() + " has mode 0775"), finding.detail());
    }

    @Test
    void precheck_interpreterOfAnotherOwner_gives307() {
        Path python = fx.box.file("venv/bin/python3", "#!/bin/sh\nexit 0\n", "rwxr-xr-x");
        Sandbox.chown(python, 65534);
        Path post = fx.box.file("scripts/post.py", "#!" + python + "\n", "rwx------");
        fx.pluginConfig("", post.toString(), "");

        Finding finding = precheck().findings().get(0);

        assertEquals(ErrorCode.POST_SCRIPT_PERMISSION, finding.error());
        assertTrue(finding.detail().contains("owned by uid 65534"), finding.detail());
    }

    @Test
    void precheck_rootOwnedSymlinkChain_isFollowedAndTheScriptRunsInPlace() throws Exception {
        Path pre = fx.script("releases/5/pre.sh", "echo \"$0\"");
        Path current = Files.createSymbolicLink(fx.box.root().resolve("scripts/current"), Path.of("releases/5"));
        fx.pluginConfig(current.resolve("pre.sh").toString(), "", "");
        PluginHost host = fx.host(LAUNCHER);

        assertEquals(List.of(), host.precheck().findings());
        assertEquals(List.of(), host.precheck().warnings());
        assertEquals(List.of(current.resolve("pre.sh").toString()),
                only(host.run(ScriptPhase.PRE, CONTEXT)).lastLines());
        assertTrue(Files.exists(pre));
    }

    @Test
    void precheck_symlinkOfAnotherOwnerInTheScriptPath_gives306NamingTheLink() throws Exception {
        Path pre = fx.script("pre.sh", "exit 0");
        Path link = Files.createSymbolicLink(fx.box.root().resolve("linked"), pre.getParent());
        Sandbox.chown(link, 65534);
        fx.pluginConfig(link.resolve("pre.sh").toString(), "", "");

        Finding finding = precheck().findings().get(0);

        assertEquals(ErrorCode.PRE_SCRIPT_PERMISSION, finding.error());
        assertTrue(finding.detail().contains(link + " is a symbolic link owned by uid 65534"), finding.detail());
    }

    @Test
    void run_hungPreScript_gives308AndLeavesNoProcess() throws Exception {
        Path pidFile = fx.etc.resolveSibling("child.pid");
        Path pre = fx.script("pre.sh", "sleep 60 & echo $! > " + pidFile + "; wait");
        fx.pluginConfig(pre.toString(), "", "\"timeoutInSeconds\": 1");

        ScriptResult result = only(fx.host(LAUNCHER).run(ScriptPhase.PRE, CONTEXT));

        assertEquals(Optional.of(ErrorCode.PRE_SCRIPT_TIMEOUT), result.error());
        assertTrue(result.timedOut());
        long child = Long.parseLong(Files.readString(pidFile).strip());
        assertFalse(isLive(child), "the script's child survived");
    }

    @Test
    void run_hungPostScript_gives309() {
        Path post = fx.script("post.sh", "sleep 60");
        fx.pluginConfig("", post.toString(), "\"timeoutInSeconds\": 1");

        assertEquals(Optional.of(ErrorCode.POST_SCRIPT_TIMEOUT),
                only(fx.host(LAUNCHER).run(ScriptPhase.POST, CONTEXT)).error());
    }

    @Test
    void run_hostDeadlineExpiring_gives310And311() {
        // Each attempt takes 0.3 s; eleven would take 3.3 s, the host's deadline stops them at 2 s. The
        // first attempt has 1.7 s to spare for a shell that starts slowly on a loaded machine.
        Path script = fx.script("slow.sh", "sleep 0.3; exit 1");
        fx.hostConfig("[pre_post]\ntimeoutInSeconds = 2\nnumberOfPlugins = 1\npluginName0 = ScriptRunner\n"
                + "pluginConfigPath0 = " + fx.etc.resolve("VMSnapshotPluginConfig.json") + "\n");
        fx.pluginConfig(script.toString(), script.toString(),
                "\"preScriptNoOfRetries\": 10, \"postScriptNoOfRetries\": 10, \"timeoutInSeconds\": 1");
        PluginHost host = fx.host(LAUNCHER);

        ScriptResult pre = only(host.run(ScriptPhase.PRE, CONTEXT));
        ScriptResult post = only(host.run(ScriptPhase.POST, CONTEXT));

        assertEquals(Optional.of(ErrorCode.PLUGINHOST_PRE_TIMEOUT), pre.error());
        assertEquals(Optional.of(ErrorCode.PLUGINHOST_POST_TIMEOUT), post.error());
        assertTrue(pre.attempts() >= 2 && pre.attempts() <= 8, "attempts " + pre.attempts());
    }

    @Test
    void precheck_explicitHostConfigMissing_gives313() {
        assertEquals(ErrorCode.PLUGINHOST_CONFIG_NOT_FOUND,
                first(fx.host(LAUNCHER, Optional.of(fx.etc.resolve("custom.conf"))).precheck()));
    }

    @Test
    void precheck_hostConfigWritableByGroup_gives314() {
        Sandbox.chmod(fx.hostConfig(Fixture.DEFAULT_HOST_CONFIG), "rw-rw-r--");

        Precheck precheck = precheck();

        assertEquals(ErrorCode.PLUGINHOST_CONFIG_PERMISSION, first(precheck));
        assertTrue(precheck.findings().get(0).detail().contains("must not be writable by group or other"),
                precheck.findings().get(0).detail());
    }

    @Test
    void precheck_hostConfigWritableByOther_gives314() {
        Sandbox.chmod(fx.hostConfig(Fixture.DEFAULT_HOST_CONFIG), "rw-r--rw-");

        assertEquals(ErrorCode.PLUGINHOST_CONFIG_PERMISSION, first(precheck()));
    }

    /** A default umask gives 644; upstream accepted it, and nobody but root can change such a file. */
    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rwxr--r--"})
    void precheck_hostConfigReadableButNotWritableByOthers_isAccepted(String mode) {
        Path pre = fx.script("pre.sh", "exit 0");
        fx.pluginConfig(pre.toString(), "", "");
        Sandbox.chmod(fx.hostConfig(Fixture.DEFAULT_HOST_CONFIG), mode);

        Precheck precheck = precheck();

        assertEquals(List.of(), precheck.findings());
        assertTrue(precheck.runsScripts());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "rw-r-----"})
    void precheck_pluginConfigReadableButNotWritableByOthers_isAccepted(String mode) {
        Path pre = fx.script("pre.sh", "exit 0");
        Sandbox.chmod(fx.pluginConfig(pre.toString(), "", ""), mode);

        Precheck precheck = precheck();

        assertEquals(List.of(), precheck.findings());
        assertTrue(precheck.runsScripts());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-rw----", "rw-r--rw-", "rwxr--r--"})
    void precheck_pluginConfigWritableByOthersOrExecutable_gives317(String mode) {
        Sandbox.chmod(fx.pluginConfig("", "", ""), mode);

        assertEquals(ErrorCode.PLUGIN_CONFIG_PERMISSION, first(precheck()));
    }

    @Test
    void precheck_hostConfigOfAnotherOwner_gives315() {
        Sandbox.chown(fx.hostConfig(Fixture.DEFAULT_HOST_CONFIG), 65534);

        assertEquals(ErrorCode.PLUGINHOST_CONFIG_OWNERSHIP, first(precheck()));
    }

    @Test
    void precheck_customerHostConfigNamingAMissingPluginConfig_gives316() {
        fx.hostConfig("[pre_post]\nnumberOfPlugins: 1\npluginName0: ScriptRunner\n"
                + "pluginConfigPath0: /etc/azure/app.json\n");

        Finding finding = precheck().findings().get(0);

        assertEquals(ErrorCode.PLUGIN_CONFIG_NOT_FOUND, finding.error());
        assertTrue(finding.detail().contains(fx.etc.resolve("app.json").toString()), finding.detail());
    }

    @Test
    void precheck_pluginConfigWithExecuteBit_gives317() {
        Sandbox.chmod(fx.pluginConfig("", "", ""), "rwx------");

        assertEquals(ErrorCode.PLUGIN_CONFIG_PERMISSION, first(precheck()));
    }

    @Test
    void precheck_pluginConfigSymlinkOfAnotherOwner_gives317() throws Exception {
        Path real = fx.box.file("elsewhere.json", "{}", "rw-------");
        Sandbox.chown(Files.createSymbolicLink(fx.etc.resolve("VMSnapshotPluginConfig.json"), real), 65534);

        assertEquals(ErrorCode.PLUGIN_CONFIG_PERMISSION, first(precheck()));
    }

    /** Configuration-management tools link configs; root's link in root's directories is as good as the file. */
    @Test
    void precheck_rootOwnedPluginConfigSymlink_isFollowed() throws Exception {
        Path pre = fx.script("pre.sh", "exit 0");
        Path real = fx.box.file("managed/VMSnapshotPluginConfig.json", "{\"pluginName\": \"ScriptRunner\","
                + " \"preScriptLocation\": \"" + pre + "\", \"postScriptLocation\": \"\"}", "rw-------");
        Files.createSymbolicLink(fx.etc.resolve("VMSnapshotPluginConfig.json"), real);

        Precheck precheck = precheck();

        assertEquals(List.of(), precheck.findings());
        assertTrue(precheck.runsScripts());
    }

    @Test
    void precheck_pluginConfigSymlinkToADirectoryOthersCanWrite_gives317() throws Exception {
        Path real = fx.box.file("shared/VMSnapshotPluginConfig.json", "{}", "rw-------");
        Sandbox.chmod(real.getParent(), "rwxrwxrwx");
        Files.createSymbolicLink(fx.etc.resolve("VMSnapshotPluginConfig.json"), real);

        Precheck precheck = precheck();

        assertEquals(ErrorCode.PLUGIN_CONFIG_PERMISSION, first(precheck));
        assertTrue(precheck.findings().get(0).detail().contains("has mode 0777"), precheck.toString());
    }

    @Test
    void precheck_pluginConfigOfAnotherOwner_gives318() {
        Sandbox.chown(fx.pluginConfig("", "", ""), 65534);

        assertEquals(ErrorCode.PLUGIN_CONFIG_OWNERSHIP, first(precheck()));
    }

    private static boolean isLive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void run_scriptWithWindowsLineEnds_fails300SayingSo() {
        Path pre = fx.box.file("scripts/pre.sh", "#!/bin/sh\r\necho hi\r\nexit 0\r\n", "rwx------");
        fx.pluginConfig(pre.toString(), "", "");

        ScriptResult result = only(fx.host(LAUNCHER).run(ScriptPhase.PRE, CONTEXT));

        assertEquals(Optional.of(ErrorCode.PRE_SCRIPT_FAILED), result.error());
        assertTrue(result.lastLines().get(0).contains("has Windows line ends (CRLF)"), result.lastLines().toString());
    }

    @Test
    void precheck_scriptOnProc_isAPermissionError() {
        fx.pluginConfig("/proc/1/environ", "", "");

        Precheck precheck = precheck();

        assertEquals(ErrorCode.PRE_SCRIPT_PERMISSION, first(precheck));
        assertTrue(precheck.findings().get(0).detail().contains("is on the proc file system"),
                precheck.findings().get(0).detail());
    }
}

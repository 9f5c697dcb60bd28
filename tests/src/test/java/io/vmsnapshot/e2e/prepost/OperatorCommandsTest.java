package io.vmsnapshot.e2e.prepost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentSimulator.Operation;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.fixtures.Command;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import io.vmsnapshot.e2e.fixtures.RootOnlyDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code bin/handle.sh check} and {@code bin/handle.sh dry-run} of the built package, unzipped and
 * installed the agent's way, against real configs and scripts in the config dir. One installed
 * package serves the whole class; each test starts from an empty config dir.
 */
class OperatorCommandsTest {
    private static final int APP_CONSISTENT = 0;
    private static final int NOT_CONFIGURED = 1;
    private static final int PROBLEMS = 2;

    private static RootOnlyDir sandbox;
    private static AgentSimulator agent;
    private static CustomerConfig customer;
    private static OperatorShell shell;

    @BeforeAll
    static void installThePackage() throws IOException {
        sandbox = RootOnlyDir.create("operator");
        agent = AgentSimulator.inSandbox(sandbox.path());
        agent.download(AgentSimulator.builtZip(), AgentSimulator.builtVersion());
        CommandResult install = agent.run(Operation.INSTALL);
        assertEquals(0, install.exitCode(), install.toString());
        customer = new CustomerConfig(agent.configOverrideDir());
        shell = new OperatorShell(agent.baseDir(), Map.of(
                "VMSNAPSHOT_CONFIG_DIR", customer.dir().toString(),
                "VMSNAPSHOT_FREEZE_MOUNTS", ""));
    }

    @AfterAll
    static void removeTheSandbox() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @BeforeEach
    void startFromAnEmptyConfigDir() throws IOException {
        customer.clear();
    }

    @Test
    void check_withEverythingRight_exitsZero_andListsNothingToFreeze() throws Exception {
        customer.standard(true);

        OperatorShell.Result check = shell.run("bin/handle.sh", "check");

        assertEquals(APP_CONSISTENT, check.exitCode(), check.toString());
        assertTrue(check.stdout().contains("OK    pre/post scripts will run"), check.toString());
        assertTrue(check.stdout().contains("File systems a backup would freeze, in freeze order: none"), check.toString());
        assertFalse(check.stdout().contains("ERROR"), check.toString());
        assertEquals(List.of(), customer.ran(), "check runs no script");
    }

    @Test
    void check_listsEachMountItWouldFreeze() throws Exception {
        customer.standard(true);

        OperatorShell.Result check = shell.with("VMSNAPSHOT_FREEZE_MOUNTS", "/").run("bin/handle.sh", "check");

        assertEquals(APP_CONSISTENT, check.exitCode(), check.toString());
        assertTrue(check.stdout().lines().anyMatch(line -> line.startsWith("  / (")), check.toString());
    }

    /** Issue 16: what an operator asks first, before anything about scripts. */
    @Test
    void check_printsTheMachineTheCLibraryTheJavaAndWhy_andThePolicyEngines() throws Exception {
        customer.standard(true);

        OperatorShell.Result check = shell.run("bin/handle.sh", "check");

        String out = check.stdout();
        String glibc = Command.check(30, "getconf", "GNU_LIBC_VERSION").output().strip().replace("glibc ", "");
        assertTrue(out.contains("Machine: x86_64, glibc " + glibc + "\n"), check.toString());
        assertTrue(out.contains("Java: " + agent.baseDir().resolve("runtime/x86_64") + " ("), check.toString());
        assertTrue(out.contains("the bundled runtime, which starts on this VM"), check.toString());
        // This machine runs neither; the unit tests (EstateReportTest) cover both running.
        assertTrue(out.contains("SELinux: not enabled"), check.toString());
        assertTrue(out.contains("fapolicyd: not running"), check.toString());
        assertEquals(APP_CONSISTENT, check.exitCode(), check.toString());
    }

    @Test
    void check_byTheDefaultRules_saysWhyEachOtherMountIsNotFrozen() throws Exception {
        customer.standard(true);
        OperatorShell rules = new OperatorShell(agent.baseDir(), Map.of("VMSNAPSHOT_CONFIG_DIR",
                customer.dir().toString()));
        try (LoopMount loop = LoopMount.create(LoopMount.FsType.EXT4)) {
            OperatorShell.Result check = rules.run("bin/handle.sh", "check");

            List<String> lines = check.stdout().lines().toList();
            assertTrue(lines.contains("Not frozen:"), check.toString());
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("  /proc (proc, proc): file system type proc")),
                    check.toString());
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("  " + loop.mountPoint() + " (ext4, ")
                    && line.endsWith("on a loop device (an image file, not a disk of the VM)")), check.toString());
        }
    }

    @Test
    void check_underTheCLocale_namesAMountPointWithANonAsciiName() throws Exception {
        // One such line in the mount table used to fail every backup with code 2 under LANG=C.
        customer.standard(true);
        Path mountPoint = Files.createDirectories(sandbox.resolve("donn\u00e9es"));
        Command.check(30, "mount", "-t", "tmpfs", "-o", "size=1m", "vmsnapshot-nonascii", mountPoint.toString());
        try {
            OperatorShell.Result check = shell.with("LANG", "C").with("VMSNAPSHOT_FREEZE_MOUNTS", mountPoint.toString())
                    .run("bin/handle.sh", "check");

            assertTrue(check.stdout().lines().anyMatch(line -> line.startsWith("  " + mountPoint + " (")), check.toString());
        } finally {
            Command.check(30, "umount", mountPoint.toString());
        }
    }

    @Test
    void check_whenAMountToFreezeIsNoMountPoint_exitsTwo() throws Exception {
        customer.standard(true);

        OperatorShell.Result check = shell.with("VMSNAPSHOT_FREEZE_MOUNTS", customer.dir().toString())
                .run("bin/handle.sh", "check");

        assertEquals(PROBLEMS, check.exitCode(), check.toString());
        assertTrue(check.stdout().contains(customer.dir().toString()), check.toString());
    }

    @Test
    void check_withNothingConfigured_exitsOne_andSaysBackupsAreNotApplicationConsistent() throws Exception {
        OperatorShell.Result check = shell.run("bin/handle.sh", "check");

        assertEquals(NOT_CONFIGURED, check.exitCode(), check.toString());
        assertTrue(check.stdout().contains("no pre/post script is configured"), check.toString());
    }

    /** A post-script alone quiesces nothing: neither command may promise an application-consistent backup. */
    @Test
    void checkAndDryRun_withOnlyAPostScript_exitOne_andSayNothingQuiescesTheApplication() throws Exception {
        customer.standard(true, config -> config.put("preScriptLocation", ""));

        OperatorShell.Result check = shell.run("bin/handle.sh", "check");
        OperatorShell.Result dryRun = shell.run("bin/handle.sh", "dry-run");

        assertEquals(NOT_CONFIGURED, check.exitCode(), check.toString());
        assertTrue(check.stdout().contains("no pre-script is configured"), check.toString());
        assertEquals(NOT_CONFIGURED, dryRun.exitCode(), dryRun.toString());
        assertTrue(dryRun.stdout().contains("no pre-script ran"), dryRun.toString());
        assertEquals(List.of("post"), customer.ran());
    }

    /** What a default umask leaves, as upstream accepted it: nobody but root can change these files. */
    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rwxr--r--"})
    void check_withConfigFilesReadableButNotWritableByOthers_exitsZero(String hostMode) throws Exception {
        CustomerConfig.chmod(customer.standard(true), hostMode.replace('x', '-'));
        CustomerConfig.chmod(customer.hostConfig(CustomerConfig.VALID_HOST_CONFIG), hostMode);

        OperatorShell.Result check = shell.run("bin/handle.sh", "check");

        assertEquals(APP_CONSISTENT, check.exitCode(), check.toString());
        assertFalse(check.stdout().contains("ERROR"), check.toString());
    }

    /** A config written for upstream's Python: numbers as strings, a float, a quoted boolean, a number as a param. */
    @Test
    void dryRun_withUpstreamStyleValues_runsTheScripts_andWarnsAboutEachRepair() throws Exception {
        customer.standard(true, config -> {
            config.put("preScriptNoOfRetries", "0");
            config.put("timeoutInSeconds", 30.0);
            config.put("fsFreezeEnabled", "false");
            config.putArray("preScriptParams").add(5432);
        });

        OperatorShell.Result check = shell.run("bin/handle.sh", "check");
        OperatorShell.Result dryRun = shell.run("bin/handle.sh", "dry-run");

        assertEquals(APP_CONSISTENT, check.exitCode(), check.toString());
        assertTrue(check.stdout().contains("fsFreezeEnabled=false"), check.toString());
        assertTrue(check.stdout().contains("WARN  ") && check.stdout().contains("fsFreezeEnabled is the string"),
                check.toString());
        assertTrue(check.stdout().contains("preScriptParams[0] is 5432"), check.toString());
        assertEquals(APP_CONSISTENT, dryRun.exitCode(), dryRun.toString());
        assertEquals(List.of("pre", "post"), customer.ran());
    }

    /** Microsoft's enhanced framework is run: Oracle through a stand-in sqlplus that records what it receives. */
    @Test
    void dryRun_withWorkloadConfNamingOracle_putsEverySidInBackupModeAndOutAgain() throws Exception {
        Path oratab = oracleStandIn();
        customer.privateFile("workload.conf", "[workload]\nworkload_name = oracle\nconfiguration_path = " + oratab
                + "\nlinux_user = root\ntimeout = 30\n");

        OperatorShell.Result dryRun = shell.run("bin/handle.sh", "dry-run");

        assertEquals(APP_CONSISTENT, dryRun.exitCode(), dryRun.toString());
        assertTrue(dryRun.stdout().contains("workload.conf (oracle): BEGIN BACKUP (SID ORCL)")
                && dryRun.stdout().contains("workload.conf (oracle): END BACKUP (SID ORCL) after "), dryRun.toString());
        assertEquals(List.of("ORCL ALTER SYSTEM ARCHIVE LOG CURRENT;", "ORCL ALTER DATABASE BEGIN BACKUP;",
                "ORCL ALTER DATABASE END BACKUP;"), Files.readAllLines(oratab.resolveSibling("statements")));
    }

    /** Upstream's precedence: the database's quiesce replaces the scripts, and check says so. */
    @Test
    void check_withWorkloadConfAndScripts_saysTheScriptsAreNotRun() throws Exception {
        customer.standard(true);
        customer.privateFile("workload.conf", "[workload]\nworkload_name = oracle\nconfiguration_path = "
                + oracleStandIn() + "\nlinux_user = root\n");

        OperatorShell.Result check = shell.run("bin/handle.sh", "check");

        assertEquals(APP_CONSISTENT, check.exitCode(), check.toString());
        assertTrue(check.stdout().contains("the pre/post-script config is present but not run"), check.toString());
    }

    @Test
    void check_withAnUnknownWorkloadName_namesIt() throws Exception {
        customer.privateFile("workload.conf", "[workload]\nworkload_name = db2\n");

        OperatorShell.Result check = shell.run("bin/handle.sh", "check");

        assertEquals(PROBLEMS, check.exitCode(), check.toString());
        assertTrue(check.stdout().contains("FailedWorkloadInvalidWorkloadName") && check.stdout().contains("workload_name=db2"),
                check.toString());
    }

    /** With both names, check says which file a backup reads and that the other one is ignored. */
    @Test
    void check_withBothPluginConfigNames_saysWhichOneCounts() throws Exception {
        Path configured = customer.standard(true);
        Files.copy(configured, customer.dir().resolve("VMSnapshotScriptPluginConfig.json"));

        OperatorShell.Result check = shell.run("bin/handle.sh", "check");

        assertEquals(APP_CONSISTENT, check.exitCode(), check.toString());
        assertTrue(check.stdout().contains("WARN  " + customer.dir() + " has both VMSnapshotPluginConfig.json and"
                + " VMSnapshotScriptPluginConfig.json: VMSnapshotScriptPluginConfig.json is used and"
                + " VMSnapshotPluginConfig.json is ignored"), check.toString());
    }

    /** Keys upstream read that this extension does not honour are named, with why; none is an error. */
    @Test
    void check_namesTheVmbackupConfKeysItIgnores_andTheBlobsTurnedOff() throws Exception {
        customer.standard(true);
        customer.privateFile("vmbackup.conf", "[SnapshotThread]\nseqsnapshot = 2\nWriteLog = False\n"
                + "UploadStatusAndLog = False\nMountsToSkip = /mnt\n");

        OperatorShell.Result check = shell.run("bin/handle.sh", "check");

        assertEquals(APP_CONSISTENT, check.exitCode(), check.toString());
        assertTrue(check.stdout().contains("NOTE  vmbackup.conf: seqsnapshot = 2 is ignored: guest snapshots"),
                check.toString());
        assertTrue(check.stdout().contains("NOTE  vmbackup.conf: writelog = False is ignored: the extension log is"
                + " always written"), check.toString());
        assertTrue(check.stdout().contains("NOTE  vmbackup.conf: UploadStatusAndLog = False: the status and logs blobs"
                + " are not uploaded"), check.toString());
        assertFalse(check.stdout().contains("mountstoskip"), "an honoured key is no note: " + check);
    }

    /** The status of a backup says the same of a script that needed retries; both languages. */
    @Test
    void dryRun_aScriptThatSucceedsAtItsSecondAttempt_saysSo() throws Exception {
        Path pre = customer.script("pre.sh", "pre", "[ \"$VMSNAPSHOT_ATTEMPT\" -ge 2 ] || exit 7");
        customer.standard(true, config -> config.put("preScriptNoOfRetries", 1));

        OperatorShell.Result dryRun = shell.run("bin/handle.sh", "dry-run");
        OperatorShell.Result chinese = shell.with("VMSNAPSHOT_LOCALE", "zh-CN").run("bin/handle.sh", "dry-run");

        assertEquals(APP_CONSISTENT, dryRun.exitCode(), dryRun.toString());
        assertTrue(dryRun.stdout().contains("WARN  The pre-script " + pre + " (plugin ScriptRunner#0) succeeded only at"
                + " attempt 2"), dryRun.toString());
        assertTrue(chinese.stdout().contains("WARN  前脚本 " + pre + "(插件 ScriptRunner#0)直到第 2 次尝试才成功"),
                chinese.toString());
    }

    @Test
    void check_withAWorkloadConfOthersMayWrite_refusesIt() throws Exception {
        Path conf = customer.privateFile("workload.conf", "[workload]\nworkload_name = mysql\n");
        CustomerConfig.chmod(conf, "rw-rw-rw-");

        OperatorShell.Result check = shell.run("bin/handle.sh", "check");

        assertEquals(PROBLEMS, check.exitCode(), check.toString());
        assertTrue(check.stdout().contains("FailedWorkloadConfParsingError") && check.stdout().contains("has mode rw-rw-rw-"),
                check.toString());
    }

    /** An oratab naming one SID whose home's bin/sqlplus records the ALTER statements it receives. */
    private static Path oracleStandIn() throws IOException {
        Path home = sandbox.resolve("oracle-home");
        Path sqlplus = Files.createDirectories(home.resolve("bin")).resolve("sqlplus");
        Path statements = sandbox.resolve("statements");
        Files.deleteIfExists(statements);
        Files.writeString(sqlplus, "#!/bin/sh\nsql=$(cat)\nprintf '%s\\n' \"$sql\" | grep '^ALTER' | sed \"s/^/$ORACLE_SID /\" >>"
                + statements + "\ncase \"$sql\" in *'V$INSTANCE'*) echo STATUS=OPEN; echo LOG_MODE=ARCHIVELOG;\n"
                + "  grep -q 'BEGIN BACKUP;$' " + statements + " && ! grep -q 'END BACKUP;$' " + statements
                + " && echo ACTIVE_BACKUP=1 || echo ACTIVE_BACKUP=0 ;;\nesac\n");
        CustomerConfig.chmod(sqlplus, "rwx------");
        Path oratab = sandbox.resolve("oratab");
        Files.writeString(oratab, "ORCL:" + home + ":N\n");
        return oratab;
    }

    @Test
    void check_typedFromAnotherDirectory_checksItsOwnPackage() throws Exception {
        customer.standard(true);

        OperatorShell.Result check = shell.in(sandbox.path()).run(agent.baseDir().resolve("bin/handle.sh").toString(), "check");

        assertEquals(APP_CONSISTENT, check.exitCode(), check.toString());
        assertFalse(check.stdout().contains("IncorrectPluginhostFile"), check.toString());
    }

    @Test
    void dryRun_underTheCLocale_runsAScriptInANonAsciiDirectory_withItsNonAsciiParameterIntact() throws Exception {
        // systemd gives the agent LANG=C (RHEL 7 has no C.UTF-8): the JVM must still name the script
        // and pass its parameter byte for byte.
        Path received = customer.dir().resolve("received");
        Path pre = customer.script("donn\u00e9es/pr\u00e9.sh", "pre", "printf '%s' \"$1\" > '" + received + "'");
        customer.standard(true, config -> {
            config.put("preScriptLocation", pre.toString());
            config.putArray("preScriptParams").add("caf\u00e9 \u00fcber");
        });

        OperatorShell.Result dryRun = shell.with("LANG", "C").run("bin/handle.sh", "dry-run");

        assertEquals(APP_CONSISTENT, dryRun.exitCode(), dryRun.toString());
        assertEquals("caf\u00e9 \u00fcber", Files.readString(received, StandardCharsets.UTF_8));
    }

    @Test
    void dryRun_withEverythingRight_runsPreThenPostOnce_andExitsZero() throws Exception {
        customer.standard(true);

        OperatorShell.Result dryRun = shell.run("bin/handle.sh", "dry-run");

        assertEquals(APP_CONSISTENT, dryRun.exitCode(), dryRun.toString());
        DryRunTable table = DryRunTable.parse(dryRun.stdout());
        assertEquals(2, table.rows().size(), dryRun.toString());
        for (String phase : List.of("pre", "post")) {
            DryRunTable.Row row = table.phase(phase).orElseThrow();
            assertEquals("success", row.outcome(), dryRun.toString());
            assertEquals(1, row.attempts(), dryRun.toString());
            assertEquals("0", row.exit(), dryRun.toString());
        }
        assertEquals(List.of("pre", "post"), customer.ran());
        assertTrue(dryRun.stdout().contains("OK    all scripts succeeded"), dryRun.toString());
    }

    @ParameterizedTest
    @EnumSource(SeedCase.class)
    void dryRun_reportsEverySeedError_withItsCodeAndDetail(SeedCase seedCase) throws Exception {
        seedCase.apply(customer, true);

        OperatorShell.Result dryRun = shell.run("bin/handle.sh", "dry-run");

        assertEquals(PROBLEMS, dryRun.exitCode(), dryRun.toString());
        String stdout = dryRun.stdout();
        assertTrue(stdout.contains("ERROR " + seedCase.seedName + " (" + seedCase.code + "): "), dryRun.toString());
        assertTrue(errorLine(stdout).contains(seedCase.detail), "detail '" + seedCase.detail + "' in\n" + dryRun);
        assertTrue(stdout.contains(seedCase.seedText()), "seed text in\n" + dryRun);
        assertTrue(stdout.contains("action: "), dryRun.toString());
        assertTrue(stdout.contains("FAIL  "), dryRun.toString());
        DryRunTable table = DryRunTable.parse(stdout);
        switch (seedCase.when) {
            case PRECHECK -> {
                assertEquals(List.of(), table.rows(), dryRun.toString());
                assertEquals(List.of(), customer.ran(), "no script runs after a precheck error");
            }
            case PRE_PHASE -> {
                assertEquals(seedCase.seedName, table.phase("pre").orElseThrow().outcome(), dryRun.toString());
                assertEquals("success", table.phase("post").orElseThrow().outcome(), dryRun.toString());
                assertTrue(customer.ran().contains("post"), "post runs after a failed pre: " + customer.ran());
            }
            case POST_PHASE -> {
                assertEquals("success", table.phase("pre").orElseThrow().outcome(), dryRun.toString());
                assertEquals(seedCase.seedName, table.phase("post").orElseThrow().outcome(), dryRun.toString());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SeedCase.class)
    void check_reportsEveryErrorItCanSeeBeforeAScriptRuns(SeedCase seedCase) throws Exception {
        seedCase.apply(customer, true);

        OperatorShell.Result check = shell.run("bin/handle.sh", "check");

        assertEquals(List.of(), customer.ran(), "check runs no script");
        if (seedCase.when != SeedCase.When.PRECHECK) {
            // Exit codes and timeouts only show when the scripts run: that is what dry-run is for.
            assertEquals(APP_CONSISTENT, check.exitCode(), check.toString());
            return;
        }
        assertEquals(PROBLEMS, check.exitCode(), check.toString());
        assertTrue(check.stdout().contains("ERROR " + seedCase.seedName + " (" + seedCase.code + "): "), check.toString());
        assertTrue(errorLine(check.stdout()).contains(seedCase.detail), "detail '" + seedCase.detail + "' in\n" + check);
        assertTrue(check.stdout().contains(seedCase.seedText()), "seed text in\n" + check);
        assertTrue(check.stdout().contains("FAIL  no script will run"), check.toString());
    }

    @Test
    void dryRun_retriesAFailingPreScript_exactlyNoOfRetriesPlusOneTimes() throws Exception {
        customer.script("pre.sh", "pre", "exit 1");
        customer.standard(true, config -> config.put("preScriptNoOfRetries", 2));

        OperatorShell.Result dryRun = shell.run("bin/handle.sh", "dry-run");

        assertEquals(PROBLEMS, dryRun.exitCode(), dryRun.toString());
        assertEquals(List.of("pre", "pre", "pre", "post"), customer.ran());
        DryRunTable.Row pre = DryRunTable.parse(dryRun.stdout()).phase("pre").orElseThrow();
        assertEquals(3, pre.attempts(), dryRun.toString());
        assertEquals("1", pre.exit(), dryRun.toString());
        assertTrue(dryRun.stdout().contains("3 attempts"), dryRun.toString());
    }

    @Test
    void dryRun_stopsRetryingAtTheFirstSuccess() throws Exception {
        Path count = customer.dir().resolve("count");
        customer.script("pre.sh", "pre", "echo x >> '" + count + "'\n[ $(wc -l < '" + count + "') -ge 2 ]");
        customer.standard(true, config -> config.put("preScriptNoOfRetries", 5));

        OperatorShell.Result dryRun = shell.run("bin/handle.sh", "dry-run");

        assertEquals(APP_CONSISTENT, dryRun.exitCode(), dryRun.toString());
        assertEquals(2, DryRunTable.parse(dryRun.stdout()).phase("pre").orElseThrow().attempts(), dryRun.toString());
    }

    @Test
    void dryRun_killsATimedOutScript_withItsChildren() throws Exception {
        SeedCase.PRE_SCRIPT_TIMEOUT.apply(customer, true);

        OperatorShell.Result dryRun = shell.run("bin/handle.sh", "dry-run");

        assertEquals(PROBLEMS, dryRun.exitCode(), dryRun.toString());
        long child = Long.parseLong(Files.readString(customer.dir().resolve("child.pid"), StandardCharsets.US_ASCII).strip());
        assertTrue(gone(child, Duration.ofSeconds(10)), "the script's background child " + child + " still runs");
        DryRunTable.Row pre = DryRunTable.parse(dryRun.stdout()).phase("pre").orElseThrow();
        // The child sleeps 30 s; a loaded machine may add seconds to the 1 s timeout and its kill.
        assertTrue(pre.durationMillis() < 15_000, "killed at its 1 s timeout, not at the child's end: " + pre);
    }

    @Test
    void dryRun_passesTheParamsAndTheDocumentedEnvironment() throws Exception {
        Path seen = customer.dir().resolve("seen");
        customer.script("pre.sh", "pre", "echo \"$VMSNAPSHOT_PHASE $1 $VMSNAPSHOT_ATTEMPT\" >> '" + seen + "'");
        customer.script("post.sh", "post", "echo \"$VMSNAPSHOT_PHASE $1 $VMSNAPSHOT_SNAPSHOT_OUTCOME\" >> '" + seen + "'");
        customer.standard(true);

        OperatorShell.Result dryRun = shell.run("bin/handle.sh", "dry-run");

        assertEquals(APP_CONSISTENT, dryRun.exitCode(), dryRun.toString());
        assertEquals(List.of("pre --quiesce 1", "post --resume dry-run"), Files.readAllLines(seen));
    }

    @ParameterizedTest
    @EnumSource(value = SeedCase.class, names = {"PRE_SCRIPT_NOT_FOUND", "POST_SCRIPT_NOT_FOUND",
            "PLUGIN_CONFIG_NOT_JSON", "PRE_SCRIPT_MODE_755", "POST_SCRIPT_OWNED_BY_NOBODY"})
    void check_withVmsnapshotLocaleZhCn_showsTheSeedsChineseText(SeedCase seedCase) throws Exception {
        seedCase.apply(customer, true);

        OperatorShell.Result check = shell.with("VMSNAPSHOT_LOCALE", "zh-CN").run("bin/handle.sh", "check");

        assertEquals(PROBLEMS, check.exitCode(), check.toString());
        assertTrue(check.stdout().contains(seedCase.seedName), check.toString());
        assertTrue(check.stdout().contains(SeedTexts.chinese(seedCase.seedName)), check.toString());
    }

    @Test
    void check_withAChineseLang_showsTheSeedsChineseText() throws Exception {
        SeedCase.PRE_SCRIPT_NOT_FOUND.apply(customer, true);

        OperatorShell.Result check = shell.with("LANG", "zh_CN.UTF-8").run("bin/handle.sh", "check");

        assertTrue(check.stdout().contains(SeedTexts.chinese("Pre-ScriptNotFound")), check.toString());
    }

    @Test
    void dryRun_withVmsnapshotLocaleZhCn_showsTheSeedsChineseText() throws Exception {
        SeedCase.PRE_SCRIPT_FAILS.apply(customer, true);

        OperatorShell.Result dryRun = shell.with("VMSNAPSHOT_LOCALE", "zh-CN").run("bin/handle.sh", "dry-run");

        assertEquals(PROBLEMS, dryRun.exitCode(), dryRun.toString());
        assertTrue(dryRun.stdout().contains(SeedTexts.chinese("Pre-ScriptExecutionFailed")), dryRun.toString());
    }

    /** The ERROR line and the lines under it, up to the verdict: where the detail is. */
    private static String errorLine(String stdout) {
        int start = stdout.indexOf("ERROR ");
        return start < 0 ? "" : stdout.substring(start);
    }

    /** Whether the process has exited (a zombie waiting for its reaper counts as gone). */
    static boolean gone(long pid, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
                if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                    return true;
                }
            } catch (IOException exited) {
                return true;
            }
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            Thread.sleep(50);
        }
    }
}

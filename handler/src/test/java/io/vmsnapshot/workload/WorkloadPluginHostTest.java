package io.vmsnapshot.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.prepost.Finding;
import io.vmsnapshot.prepost.PhaseResult;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.PluginHostSettings;
import io.vmsnapshot.prepost.Precheck;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the workload combines with the script plugin host, and how its steps are reported. */
class WorkloadPluginHostTest {
    private static final ScriptContext CONTEXT = new ScriptContext("task-1", Map.of());
    private static final WorkloadConf MYSQL = new WorkloadConf(Database.MYSQL, Optional.empty(), Path.of("/etc/oratab"),
            new LinuxUser("root", 0, Path.of("/root")), List.of(), Duration.ofSeconds(90));

    @TempDir
    Path configDir;
    private final List<String> scriptPhases = new ArrayList<>();
    private final Precheck scriptPrecheck = new Precheck(List.of(), true, true, false, false, List.of());
    private final PluginHost scripts = new PluginHost() {
        @Override
        public Precheck precheck() {
            return scriptPrecheck;
        }

        @Override
        public PhaseResult run(ScriptPhase phase, ScriptContext context) {
            scriptPhases.add(phase.label());
            return PhaseResult.nothingRun(phase, List.of());
        }
    };

    private WorkloadPluginHost host(WorkloadSetup setup, List<Step> pre, List<Step> post) {
        Quiescer quiescer = new Quiescer() {
            @Override
            public List<Step> quiesce() {
                return pre;
            }

            @Override
            public List<Step> release() {
                return post;
            }
        };
        return new WorkloadPluginHost(scripts, setup, conf -> quiescer, PluginHostSettings.of(configDir, 0));
    }

    @Test
    void withoutAWorkload_theScriptsDecideAlone() {
        WorkloadPluginHost host = host(WorkloadSetup.absent(List.of()), List.of(), List.of());

        assertSame(scriptPrecheck, host.precheck());
        host.run(ScriptPhase.PRE, CONTEXT);
        assertEquals(List.of("pre"), scriptPhases);
    }

    @Test
    void aWorkload_replacesTheScripts_asUpstream_andCheckSaysTheirConfigIsNotRun() throws IOException {
        Files.writeString(configDir.resolve("VMSnapshotPluginConfig.json"), "{}");
        WorkloadPluginHost host = host(WorkloadSetup.configured(MYSQL, List.of()),
                List.of(Step.ok("FLUSH TABLES WITH READ LOCK", Duration.ofMillis(12), List.of("lock held"))), List.of());

        Precheck precheck = host.precheck();
        PhaseResult pre = host.run(ScriptPhase.PRE, CONTEXT);

        assertTrue(precheck.runsScripts() && precheck.preScriptConfigured(), precheck.toString());
        assertTrue(precheck.fsFreezeEnabled() && precheck.continueBackupOnFailure(), "never fails a backup, always freezes");
        assertTrue(precheck.warnings().get(0).contains("present but not run"), precheck.warnings().toString());
        assertEquals(List.of(), scriptPhases);
        assertTrue(pre.applicationConsistent(), pre.toString());
        assertEquals("workload.conf (mysql): FLUSH TABLES WITH READ LOCK", pre.scripts().get(0).plugin());
        assertEquals("FLUSH TABLES WITH READ LOCK", pre.scripts().get(0).script());
    }

    @Test
    void aFailedStep_isThePhasesError_andTheBackupContinues() {
        Finding down = new Finding(ErrorCode.WORKLOAD_CONNECTION_FAILED, "mysql: could not query the server");
        WorkloadPluginHost host = host(WorkloadSetup.configured(MYSQL, List.of()),
                List.of(new Step("connect", false, Duration.ZERO, List.of("ERROR 2002"), Optional.of(down))), List.of());

        PhaseResult pre = host.run(ScriptPhase.PRE, CONTEXT);

        assertFalse(pre.applicationConsistent());
        assertEquals(ErrorCode.WORKLOAD_CONNECTION_FAILED, pre.firstError().orElseThrow().error());
        assertEquals("workload.conf pre step \"connect\": mysql: could not query the server",
                pre.firstError().orElseThrow().detail());
        assertTrue(pre.continueBackup());
        assertEquals("FailedWorkloadConnectionError", pre.scripts().get(0).outcomeName());
    }

    @Test
    void anUnusableWorkloadConf_isAFindingThatRunsNothing() {
        Finding bad = new Finding(ErrorCode.WORKLOAD_NAME_INVALID, "workload_name=db2");
        WorkloadPluginHost host = host(WorkloadSetup.invalid("db2", bad, List.of()), List.of(), List.of());

        Precheck precheck = host.precheck();

        assertEquals(List.of(bad), precheck.findings());
        assertFalse(precheck.runsScripts());
        assertEquals(List.of(), host.run(ScriptPhase.PRE, CONTEXT).scripts());
        assertEquals(List.of(), scriptPhases);
    }
}

package io.vmsnapshot.prepost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.Messages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DryRunTest {
    /** A hand-written host: fixed precheck and results, records the phases asked for. */
    private static final class RecordingHost implements PluginHost {
        final List<ScriptContext> contexts = new ArrayList<>();
        final List<ScriptPhase> phases = new ArrayList<>();
        private final Precheck precheck;
        private final Optional<ErrorCode> preError;

        RecordingHost(Precheck precheck, Optional<ErrorCode> preError) {
            this.precheck = precheck;
            this.preError = preError;
        }

        @Override
        public Precheck precheck() {
            return precheck;
        }

        @Override
        public PhaseResult run(ScriptPhase phase, ScriptContext context) {
            phases.add(phase);
            contexts.add(context);
            if (phase == ScriptPhase.PRE && !precheck.preScriptConfigured()) {
                return PhaseResult.nothingRun(phase, List.of());
            }
            Optional<ErrorCode> error = phase == ScriptPhase.PRE ? preError : Optional.empty();
            ScriptResult script = new ScriptResult("ScriptRunner#0", phase, "/opt/" + phase.label() + ".sh", 1,
                    error.isPresent() ? 3 : 0, null, false, 12, List.of(), error);
            return new PhaseResult(phase, List.of(script),
                    error.map(code -> List.of(new Finding(code, "exit code 3"))).orElse(List.of()), true);
        }
    }

    private static final Precheck READY = new Precheck(List.of(), true, true, true, true, List.of());
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void run_runsPreThenPostAndPrintsARowPerScript() {
        RecordingHost host = new RecordingHost(READY, Optional.empty());

        CheckVerdict exit = new DryRun(host, Messages.forLocale("en-US")).run("dry-1", out);

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(CheckVerdict.APP_CONSISTENT, exit);
        assertEquals(List.of(ScriptPhase.PRE, ScriptPhase.POST), host.phases);
        assertEquals(DryRun.SNAPSHOT_OUTCOME, host.contexts.get(1).extraEnv().get(ScriptContext.SNAPSHOT_OUTCOME_ENV));
        assertTrue(text.matches("(?s).*ScriptRunner#0\\s+pre\\s+1\\s+0\\s+12\\s+success.*"), text);
        assertTrue(text.matches("(?s).*ScriptRunner#0\\s+post\\s+1\\s+0\\s+12\\s+success.*"), text);
    }

    @Test
    void run_withOnlyAPostScript_saysABackupWouldNotBeApplicationConsistentAndExitsOne() {
        RecordingHost host = new RecordingHost(new Precheck(List.of(), true, false, true, true, List.of()),
                Optional.empty());

        CheckVerdict exit = new DryRun(host, Messages.forLocale("en-US")).run("dry-4", out);

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(CheckVerdict.NOT_CONFIGURED, exit);
        assertTrue(text.contains("no pre-script ran"), text);
        assertTrue(text.matches("(?s).*ScriptRunner#0\\s+post\\s+1\\s+0.*"), text);
    }

    @Test
    void run_failingPreScript_stillRunsPostAndNamesTheSeedError() {
        RecordingHost host = new RecordingHost(READY, Optional.of(ErrorCode.PRE_SCRIPT_FAILED));

        CheckVerdict exit = new DryRun(host, Messages.forLocale("en-US")).run("dry-2", out);

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(CheckVerdict.PROBLEMS, exit);
        assertEquals(List.of(ScriptPhase.PRE, ScriptPhase.POST), host.phases);
        assertTrue(text.contains("FAIL  Pre-ScriptExecutionFailed"), text);
    }

    @Test
    void run_precheckFindings_runsNothingAndReportsThem() {
        RecordingHost host = new RecordingHost(new Precheck(List.of(new Finding(ErrorCode.PRE_SCRIPT_NOT_FOUND,
                "/opt/pre.sh does not exist")), true, true, true, true, List.of()), Optional.empty());

        CheckVerdict exit = new DryRun(host, Messages.forLocale("en-US")).run("dry-3", out);

        assertEquals(CheckVerdict.PROBLEMS, exit);
        assertEquals(List.of(), host.phases);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("Pre-ScriptNotFound (302)"));
    }
}

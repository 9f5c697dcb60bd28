package io.vmsnapshot.prepost;

import io.vmsnapshot.error.Messages;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code handle.sh dry-run}: runs the pre phase and then the post phase exactly as a backup would
 * (same configs, checks, retries, timeouts and output capture), without freezing or
 * snapshotting, and prints one row per script. The post-scripts see
 * {@code VMSNAPSHOT_SNAPSHOT_OUTCOME=dry-run}. Exit codes are {@link CheckReport}'s.
 */
public final class DryRun {
    public static final String SNAPSHOT_OUTCOME = "dry-run";
    private static final String ROW = "%-16s %-5s %8s %6s %12s  %s%n";

    private final PluginHost host;
    private final Messages messages;

    public DryRun(PluginHost host, Messages messages) {
        this.host = Objects.requireNonNull(host, "host");
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    public CheckVerdict run(String taskId, PrintStream out) {
        Precheck precheck = host.precheck();
        if (!precheck.runsScripts()) {
            return new CheckReport(messages).render(precheck, out);
        }
        // What check would say still holds when the scripts run, e.g. which run from a copy.
        precheck.warnings().forEach(warning -> out.println("WARN  " + warning));
        precheck.notes().forEach(note -> out.println("NOTE  " + note));
        List<PhaseResult> phases = new ArrayList<>();
        phases.add(host.run(ScriptPhase.PRE, new ScriptContext(taskId, Map.of())));
        phases.add(host.run(ScriptPhase.POST, new ScriptContext(taskId,
                Map.of(ScriptContext.SNAPSHOT_OUTCOME_ENV, SNAPSHOT_OUTCOME))));
        out.printf(ROW, "plugin", "phase", "attempts", "exit", "duration ms", "outcome");
        List<Finding> errors = new ArrayList<>();
        for (PhaseResult phase : phases) {
            for (ScriptResult script : phase.scripts()) {
                out.printf(ROW, script.plugin(), script.phase().label(), script.attempts(), exit(script),
                        script.durationMillis(), script.outcomeName());
            }
            errors.addAll(phase.errors());
        }
        precheck.warnings().forEach(warning -> out.println("WARN  " + warning));
        // The backup's status says the same of a script that needed retries.
        phases.stream().flatMap(p -> p.scripts().stream()).filter(s -> s.succeeded() && s.attempts() > 1)
                .forEach(s -> out.println("WARN  " + messages.format("script.retried." + s.phase().label(), s.script(),
                        s.plugin(), s.attempts())));
        for (Finding error : errors) {
            out.println("ERROR " + error.error().displayName() + " (" + error.error().code() + "): " + error.detail());
            out.println("      " + messages.message(error.error()));
            out.println("      action: " + messages.action(error.error()));
        }
        CheckVerdict exit = verdict(errors, phases.get(0));
        out.println(switch (exit) {
            case APP_CONSISTENT -> "OK    all scripts succeeded: a backup would be application consistent";
            case NOT_CONFIGURED -> "INFO  all scripts succeeded, but no pre-script ran: nothing quiesced"
                    + " the application, so a backup would be file-system consistent, not application consistent";
            default -> "FAIL  " + errors.get(0).error().displayName() + ": a backup would not be application consistent";
        });
        out.flush();
        return exit;
    }

    /** The backup's rule: application consistent needs at least one pre-script, and every script, to succeed. */
    private static CheckVerdict verdict(List<Finding> errors, PhaseResult pre) {
        if (!errors.isEmpty()) {
            return CheckVerdict.PROBLEMS;
        }
        return pre.applicationConsistent() ? CheckVerdict.APP_CONSISTENT : CheckVerdict.NOT_CONFIGURED;
    }

    private static String exit(ScriptResult script) {
        if (script.exitCode() != null) {
            return script.exitCode().toString();
        }
        return script.signal() != null ? "sig" + script.signal() : "-";
    }
}

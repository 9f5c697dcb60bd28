package io.vmsnapshot.pluginhost;

import io.vmsnapshot.prepost.Finding;
import io.vmsnapshot.prepost.PhaseResult;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import io.vmsnapshot.prepost.ScriptResult;
import io.vmsnapshot.process.ProcessLauncher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one phase of every ready plugin in parallel and waits for all of them, at most until the
 * host's deadline; the scripts still running then are killed and reported with the host-timeout
 * error, each under its own plugin's name. Errors are listed in plugin order.
 */
final class PhaseRunner {
    private static final Logger LOG = LoggerFactory.getLogger(PhaseRunner.class);
    /** After a kill, how long to wait for the killed scripts' results before giving up on them. */
    private static final Duration AFTER_KILL = ScriptExecution.KILL_GRACE.plusSeconds(2);

    private final ProcessLauncher launcher;
    private final int handlerUid;
    private final ScriptCopies copies;

    PhaseRunner(ProcessLauncher launcher, int handlerUid, ScriptCopies copies) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.handlerUid = handlerUid;
        this.copies = Objects.requireNonNull(copies, "copies");
    }

    PhaseResult run(ScriptPhase phase, ScriptContext context, Inspection inspection) {
        List<Inspection.ReadyPlugin> plugins = new ArrayList<>();
        List<ScriptExecution> executions = new ArrayList<>();
        List<CompletableFuture<ScriptResult>> results = new ArrayList<>();
        for (Inspection.ReadyPlugin plugin : inspection.plugins()) {
            Optional<PhaseScript> script = plugin.config().script(phase);
            if (script.isEmpty()) {
                continue;
            }
            Duration own = Duration.ofSeconds(plugin.config().timeoutSeconds());
            boolean ownFitsHost = own.compareTo(inspection.hostTimeout()) <= 0;
            Duration timeout = ownFitsHost ? own : inspection.hostTimeout();
            ScriptExecution execution = new ScriptExecution(launcher, copies, phase, plugin.label(), script.get(),
                    plugin.scripts().get(phase), timeout, ownFitsHost, context, handlerUid);
            plugins.add(plugin);
            executions.add(execution);
            results.add(execution.start());
        }
        awaitAll(phase, inspection.hostTimeout(), executions, results);
        return summarize(phase, plugins, results);
    }

    private static void awaitAll(ScriptPhase phase, Duration hostTimeout, List<ScriptExecution> executions,
            List<CompletableFuture<ScriptResult>> results) {
        CompletableFuture<Void> all = CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0]));
        try {
            all.get(hostTimeout.toNanos(), TimeUnit.NANOSECONDS);
            return;
        } catch (TimeoutException e) {
            LOG.warn("phase-host-timeout phase={} timeoutSeconds={}", phase.label(), hostTimeout.toSeconds());
        } catch (ExecutionException e) {
            throw new IllegalStateException("script execution failed unexpectedly", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stop waiting, but still kill what runs
        }
        for (int i = 0; i < results.size(); i++) {
            if (!results.get(i).isDone()) {
                executions.get(i).abort();
            }
        }
        try {
            all.get(AFTER_KILL.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException | ExecutionException e) {
            LOG.warn("phase-kill-unconfirmed phase={} error={}", phase.label(), e.toString());
        }
    }

    private static PhaseResult summarize(ScriptPhase phase, List<Inspection.ReadyPlugin> plugins,
            List<CompletableFuture<ScriptResult>> results) {
        List<ScriptResult> scripts = new ArrayList<>();
        List<Finding> errors = new ArrayList<>();
        boolean continueBackup = true;
        for (int i = 0; i < results.size(); i++) {
            Inspection.ReadyPlugin plugin = plugins.get(i);
            ScriptResult result = results.get(i).getNow(null);
            if (result == null) {
                result = unfinished(phase, plugin);
            }
            scripts.add(result);
            if (!result.succeeded()) {
                errors.add(new Finding(result.error().orElseThrow(), describe(result)));
                continueBackup &= plugin.config().continueBackupOnFailure();
            }
        }
        return new PhaseResult(phase, scripts, errors, continueBackup);
    }

    private static ScriptResult unfinished(ScriptPhase phase, Inspection.ReadyPlugin plugin) {
        String script = plugin.config().script(phase).orElseThrow().location().toString();
        return new ScriptResult(plugin.label(), phase, script, 0, null, null, true, 0,
                List.of("the script did not end after being killed"), Optional.of(phase.hostTimeout()));
    }

    private static String describe(ScriptResult result) {
        StringBuilder detail = new StringBuilder(result.script()).append(" (plugin ").append(result.plugin())
                .append(", ").append(result.attempts()).append(result.attempts() == 1 ? " attempt" : " attempts");
        if (result.timedOut()) {
            detail.append(", timed out");
        }
        if (result.exitCode() != null) {
            detail.append(", exit code ").append(result.exitCode());
        }
        if (result.signal() != null) {
            detail.append(", killed by signal ").append(result.signal());
        }
        detail.append(")");
        if (!result.lastLines().isEmpty()) {
            detail.append(": ").append(String.join(" | ", result.lastLines().subList(
                    Math.max(0, result.lastLines().size() - 5), result.lastLines().size())));
        }
        return detail.toString();
    }
}

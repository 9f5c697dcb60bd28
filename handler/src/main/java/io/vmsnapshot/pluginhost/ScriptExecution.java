package io.vmsnapshot.pluginhost;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import io.vmsnapshot.prepost.ScriptResult;
import io.vmsnapshot.process.ProcessLauncher;
import io.vmsnapshot.process.ProcessResult;
import io.vmsnapshot.process.ProcessSpec;
import io.vmsnapshot.process.RunningScript;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one plugin's script for one phase: up to {@code retries + 1} real runs, stopping at the
 * first success, each with the full timeout. Asynchronous: each attempt starts when the previous
 * one's process has exited, no thread waits. {@link #abort()} is the host's deadline: it kills the
 * running attempt and ends the script with the host-timeout error (310/311), except when it cut the
 * first attempt of a script whose own timeout was not above the host's: then the script's own time
 * ran out (308/309), and the host-timeout advice (raise the host's limit, perhaps already at its cap)
 * would mislead.
 */
final class ScriptExecution {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptExecution.class);
    static final Duration KILL_GRACE = Duration.ofSeconds(3);

    private final ProcessLauncher launcher;
    private final ScriptCopies copies;
    private final ScriptPhase phase;
    private final String plugin;
    private final PhaseScript script;
    private final CheckedScript checked;
    private final Duration timeout;
    private final boolean ownTimeoutFitsHost;
    private final ScriptContext context;
    private final int handlerUid;
    private final CompletableFuture<ScriptResult> result = new CompletableFuture<>();
    private final long startNanos = System.nanoTime();
    private RunningScript current;
    private boolean aborted;

    /** @param ownTimeoutFitsHost the plugin's timeoutInSeconds is at most the host's timeout */
    /** @param checked the script as checked: its bytes and interpreter, and whether it runs from a copy */
    ScriptExecution(ProcessLauncher launcher, ScriptCopies copies, ScriptPhase phase, String plugin,
            PhaseScript script, CheckedScript checked, Duration timeout, boolean ownTimeoutFitsHost,
            ScriptContext context, int handlerUid) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.copies = Objects.requireNonNull(copies, "copies");
        this.phase = Objects.requireNonNull(phase, "phase");
        this.plugin = Objects.requireNonNull(plugin, "plugin");
        this.script = Objects.requireNonNull(script, "script");
        this.checked = Objects.requireNonNull(checked, "checked");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.ownTimeoutFitsHost = ownTimeoutFitsHost;
        this.context = Objects.requireNonNull(context, "context");
        this.handlerUid = handlerUid;
    }

    CompletableFuture<ScriptResult> start() {
        attempt(1);
        return result;
    }

    void abort() {
        RunningScript running;
        synchronized (this) {
            aborted = true;
            running = current;
        }
        if (running != null) {
            running.terminate();
        }
    }

    private void attempt(int attempt) {
        Optional<String> unrunnable = ScriptCommand.unrunnable(script.location(), checked.content());
        if (unrunnable.isPresent()) {
            LOG.warn("script-unrunnable phase={} plugin={} attempt={} reason={}", phase.label(), plugin, attempt,
                    unrunnable.get());
            next(attempt, null, List.of(unrunnable.get()));
            return;
        }
        Path runs;
        try {
            runs = checked.runsFromCopy() ? copies.write(checked.content(), script.location()) : script.location();
        } catch (IOException e) {
            LOG.warn("script-copy-failed phase={} plugin={} attempt={} error={}", phase.label(), plugin, attempt,
                    e.getMessage());
            next(attempt, null, List.of("could not copy " + script.location() + " to run it: " + e.getMessage()));
            return;
        }
        ProcessSpec spec = new ProcessSpec(ScriptCommand.argv(checked.argvPrefix(), runs, script.params()),
                script.location().getParent(),
                ScriptCommand.environment(phase, context, plugin, attempt, timeout.toSeconds(), handlerUid,
                        script.location()),
                timeout, KILL_GRACE, new ScriptOutputLog(phase.label(), plugin, attempt));
        LOG.info("script-start phase={} plugin={} attempt={} script={} runs={} timeoutSeconds={}", phase.label(),
                plugin, attempt, script.location(), runs, timeout.toSeconds());
        RunningScript running;
        try {
            running = launcher.start(spec);
        } catch (IOException e) {
            LOG.warn("script-start-failed phase={} plugin={} attempt={} error={}", phase.label(), plugin, attempt,
                    e.getMessage());
            removeCopy(runs);
            next(attempt, null, List.of("could not start " + script.location() + ": " + e.getMessage()));
            return;
        }
        boolean abortNow;
        synchronized (this) {
            current = running;
            abortNow = aborted;
        }
        if (abortNow) {
            running.terminate();
        }
        running.completion().thenAccept(new Consumer<ProcessResult>() {
            @Override
            public void accept(ProcessResult outcome) {
                ended(attempt, runs, outcome);
            }
        });
    }

    private void ended(int attempt, Path runs, ProcessResult outcome) {
        removeCopy(runs);
        LOG.info("script-end phase={} plugin={} attempt={} exitCode={} signal={} timedOut={} durationMs={}",
                phase.label(), plugin, attempt, outcome.exitCode(), outcome.signal(), outcome.timedOut(),
                outcome.duration().toMillis());
        next(attempt, outcome, outcome.leftovers() ? withLeftoverNotice(outcome.lastLines()) : outcome.lastLines());
    }

    private void removeCopy(Path runs) {
        if (!runs.equals(script.location())) {
            copies.remove(runs);
        }
    }

    /** Goes into the status with the last lines: the operator must know something may still run. */
    private static List<String> withLeftoverNotice(List<String> lastLines) {
        List<String> lines = new ArrayList<>(lastLines);
        lines.add("[vmsnapshot] the script or processes it started survived SIGKILL (stuck in the kernel,"
                + " e.g. on a hung NFS mount) and may still be running");
        return lines;
    }

    private void next(int attempt, ProcessResult outcome, List<String> lastLines) {
        boolean succeeded = outcome != null && outcome.succeeded();
        boolean stop;
        synchronized (this) {
            stop = aborted || succeeded || attempt >= script.maxAttempts();
        }
        if (!stop) {
            attempt(attempt + 1);
            return;
        }
        Optional<ErrorCode> error;
        synchronized (this) {
            error = succeeded ? Optional.empty() : Optional.of(failure(attempt, outcome));
        }
        boolean timedOut = outcome != null && outcome.timedOut() || error.equals(Optional.of(phase.timeout()));
        long millis = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
        result.complete(new ScriptResult(plugin, phase, script.location().toString(), attempt,
                outcome == null ? null : outcome.exitCode(), outcome == null ? null : outcome.signal(),
                timedOut, millis, lastLines, error));
    }

    /** Called holding the lock: {@code aborted} is read consistently. */
    private ErrorCode failure(int attempt, ProcessResult outcome) {
        if (aborted) {
            return attempt == 1 && ownTimeoutFitsHost ? phase.timeout() : phase.hostTimeout();
        }
        return outcome != null && outcome.timedOut() ? phase.timeout() : phase.failed();
    }
}

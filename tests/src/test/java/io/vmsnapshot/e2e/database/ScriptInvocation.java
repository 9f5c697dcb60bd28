package io.vmsnapshot.e2e.database;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a sample script directly, the way the plugin host runs it (docs/prepost.md §2): argv = script and
 * params, cwd = the script's directory, stdin from /dev/null, and nothing of the caller's
 * environment but PATH, HOME and the VMSNAPSHOT_* variables.
 */
final class ScriptInvocation {
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    record Result(int exitCode, String output, Duration elapsed) {
        @Override
        public String toString() {
            return "exit " + exitCode + " after " + elapsed.toMillis() + " ms: " + output;
        }
    }

    private final Path script;
    private final List<String> params;
    private final String taskId;

    ScriptInvocation(Path script, List<String> params, String taskId) {
        this.script = script;
        this.params = List.copyOf(params);
        this.taskId = taskId;
    }

    ScriptInvocation withParams(List<String> changed) {
        return new ScriptInvocation(script, changed, taskId);
    }

    ScriptInvocation withTask(String changed) {
        return new ScriptInvocation(script, params, changed);
    }

    Result pre() {
        return run("pre", Map.of());
    }

    Result post(String snapshotOutcome) {
        return run("post", Map.of("VMSNAPSHOT_SNAPSHOT_OUTCOME", snapshotOutcome));
    }

    Result run(String phase, Map<String, String> extra) {
        List<String> argv = new ArrayList<>();
        argv.add(script.toString());
        argv.addAll(params);
        ProcessBuilder builder = new ProcessBuilder(argv).directory(script.getParent().toFile())
                .redirectInput(new File("/dev/null")).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.clear();
        Map<String, String> ours = new LinkedHashMap<>(extra);
        ours.put("PATH", PATH);
        ours.put("HOME", "/root");
        ours.put("VMSNAPSHOT_PHASE", phase);
        ours.put("VMSNAPSHOT_TASK_ID", taskId);
        ours.put("VMSNAPSHOT_PLUGIN", "ScriptRunner");
        ours.put("VMSNAPSHOT_ATTEMPT", "1");
        ours.put("VMSNAPSHOT_TIMEOUT_SECONDS", "30");
        env.putAll(ours);
        long start = System.nanoTime();
        try {
            Process process = builder.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process));
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " " + phase + " did not finish in 60 s");
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            // A background process of the script that kept the pipe open would stall the plugin host's capture.
            byte[] bytes = out.get(5, TimeUnit.SECONDS);
            return new Result(process.exitValue(), new String(bytes, StandardCharsets.UTF_8).strip(), elapsed);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new AssertionError(script + " " + phase + " exited but something it started still holds its output open", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the output of " + script + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static byte[] readAll(Process process) {
        try {
            return process.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

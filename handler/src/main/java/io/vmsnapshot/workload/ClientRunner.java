package io.vmsnapshot.workload;

import io.vmsnapshot.process.ProcessLauncher;
import io.vmsnapshot.process.ProcessResult;
import io.vmsnapshot.process.ProcessSpec;
import io.vmsnapshot.process.RunningScript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Runs a database client as {@code linux_user} (util-linux {@code runuser -u USER --}, which RHEL 7
 * has; directly when the user is root), in its own process group through the process launcher, so
 * the timeout and kill rules of customer scripts apply and the backup journal can reap what a dead
 * worker left. The environment is built here, nothing is inherited.
 */
final class ClientRunner {
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final Duration KILL_GRACE = Duration.ofSeconds(5);
    private static final List<Path> RUNUSER = List.of(Path.of("/usr/sbin/runuser"), Path.of("/sbin/runuser"),
            Path.of("/usr/bin/runuser"));

    private final ProcessLauncher launcher;
    private final LinuxUser user;

    ClientRunner(ProcessLauncher launcher, LinuxUser user) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.user = Objects.requireNonNull(user, "user");
    }

    LinuxUser user() {
        return user;
    }

    /** Why this runner must not start {@code program}: only root's runs are checked (see {@link RootTrust}). */
    Optional<String> refusal(Path program) {
        return user.uid() == 0 ? RootTrust.problem(program) : Optional.empty();
    }

    /** Runs a command to its end, or kills its group at the timeout. */
    Outcome run(List<String> command, Map<String, String> env, Duration timeout) {
        Transcript transcript = new Transcript(line -> false);
        long start = System.nanoTime();
        try {
            RunningScript running = start(command, env, timeout, transcript);
            ProcessResult result = running.completion().get();
            return new Outcome(result.succeeded(), result.timedOut(), describe(result), transcript.lines(),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            return new Outcome(false, false, "cannot start " + command.get(0) + ": " + e.getMessage(),
                    transcript.lines(), Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, false, "interrupted", transcript.lines(), Duration.ofNanos(System.nanoTime() - start));
        } catch (ExecutionException e) {
            return new Outcome(false, false, String.valueOf(e.getCause()), transcript.lines(),
                    Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * Starts a long-lived session (the holder) and waits until a line passes {@code ready}, the
     * session ends, or {@code wait} passes. The session itself may live until {@code lifetime}.
     */
    Holder hold(List<String> command, Map<String, String> env, Duration lifetime, Duration wait,
            Predicate<String> ready) throws IOException, InterruptedException {
        Transcript transcript = new Transcript(ready);
        RunningScript running = start(command, env, lifetime, transcript);
        running.completion().whenComplete((result, error) -> transcript.ended());
        try {
            transcript.readyOrEnded().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Not confirmed in time: the caller ends the session.
        }
        return new Holder(running, transcript);
    }

    private RunningScript start(List<String> command, Map<String, String> env, Duration timeout, Transcript output)
            throws IOException {
        Map<String, String> environment = new HashMap<>();
        environment.put("PATH", PATH);
        environment.put("LANG", "C");
        environment.put("HOME", user.home().toString());
        environment.put("USER", user.name());
        environment.put("LOGNAME", user.name());
        environment.putAll(env);
        return launcher.start(new ProcessSpec(argv(command), Path.of("/"), environment, timeout, KILL_GRACE, output));
    }

    /** The argv that runs {@code command} as the linux user. */
    List<String> argv(List<String> command) {
        if (user.uid() == 0) {
            return command;
        }
        List<String> argv = new ArrayList<>();
        argv.add(RUNUSER.stream().filter(Files::isExecutable).findFirst().orElse(RUNUSER.get(0)).toString());
        argv.addAll(List.of("-u", user.name(), "--"));
        argv.addAll(command);
        return argv;
    }

    static String describe(ProcessResult result) {
        if (result.timedOut()) {
            return "timed out after " + result.duration().toSeconds() + " s and was killed";
        }
        return result.exitCode() != null ? "exit " + result.exitCode() : "killed by signal " + result.signal();
    }

    /** How a client run ended: its last output lines and how long it took. */
    record Outcome(boolean succeeded, boolean timedOut, String how, List<String> lines, Duration duration) {
        String lastLine() {
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        String summary() {
            String tail = String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
            return how + (tail.isBlank() ? "" : ": " + tail);
        }
    }
}

package io.vmsnapshot.e2e.database;

import io.vmsnapshot.e2e.fixtures.Command;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the database tools: from {@code /} (initdb and pg_ctl refuse to start in a directory their
 * user cannot read, and the test's own directory may be private to root), optionally as another
 * user through util-linux {@code setpriv}, which execs in place, so the started process is the
 * tool itself and a signal reaches it directly.
 */
final class Processes {
    private static final Path ROOT = Path.of("/");

    private Processes() {
    }

    /** argv that runs {@code argv} as {@code user} with that user's groups. */
    static List<String> asUser(String user, List<String> argv) {
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--"));
        wrapped.addAll(argv);
        return wrapped;
    }

    static Process start(List<String> argv, Path output) {
        try {
            return new ProcessBuilder(argv).directory(ROOT.toFile()).redirectErrorStream(true)
                    .redirectInput(new File("/dev/null")).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + String.join(" ", argv) + ": " + e.getMessage(), e);
        }
    }

    /** Runs to completion within {@code timeout}; output (stdout and stderr) kept for the failure message. */
    static Command.Result run(List<String> argv, Duration timeout) {
        try {
            Process process = new ProcessBuilder(argv).directory(ROOT.toFile()).redirectErrorStream(true)
                    .redirectInput(new File("/dev/null")).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", argv) + " did not finish in " + timeout);
            }
            return new Command.Result(process.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", argv), e);
        }
    }

    static Command.Result check(List<String> argv, Duration timeout) {
        return run(argv, timeout).requireSuccess(argv);
    }

    /** Sends a signal by pid (the JDK only has TERM and KILL). */
    static void signal(long pid, String signal) {
        Command.run(List.of("kill", "-s", signal, Long.toString(pid)), 10);
    }
}

package io.vmsnapshot.e2e.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Runs one handler command as the agent does (contract §5): {@code /bin/sh -c <base>/<command>} with
 * cwd = base dir, in a new session whose leader is the shell (the agent's {@code preexec_fn=os.setsid};
 * here the {@code setsid} tool, which execs in place since a child of the JVM is never a group
 * leader), exactly the given environment, stdout and stderr to files (never pipes). Only the shell
 * is waited for; on timeout the whole process group gets SIGKILL, no SIGTERM first, and processes
 * that left the group survive, as with the agent.
 */
public final class AgentCommandRunner {
    private final Path outputDir;
    private final CommandWrapper wrapper;

    /** @param outputDir where the stdout/stderr files go (the agent uses unlinked files in the base dir) */
    public AgentCommandRunner(Path outputDir) {
        this(outputDir, CommandWrapper.NONE);
    }

    /** @param wrapper where the commands run: this machine, or another system's root */
    public AgentCommandRunner(Path outputDir, CommandWrapper wrapper) {
        this.outputDir = Objects.requireNonNull(outputDir, "outputDir");
        this.wrapper = Objects.requireNonNull(wrapper, "wrapper");
    }

    public CommandResult run(AgentSimulator.Operation operation, String version, Path baseDir, String command,
                             Map<String, String> environment, Duration timeout) throws IOException {
        String commandLine = baseDir + "/" + stripLeadingSlash(command);
        Files.createDirectories(outputDir);
        Path stdout = Files.createTempFile(outputDir, operation.verb(), ".stdout");
        Path stderr = Files.createTempFile(outputDir, operation.verb(), ".stderr");
        ProcessBuilder builder = new ProcessBuilder(wrapper.wrap(baseDir, List.of("setsid", "/bin/sh", "-c", commandLine)))
                .directory(baseDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process shell = builder.start();
        boolean timedOut = false;
        try {
            if (!shell.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                killProcessGroup(shell.pid());
                shell.waitFor();
            }
        } catch (InterruptedException e) {
            killProcessGroup(shell.pid());
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + commandLine, e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        return new CommandResult(operation, version, commandLine, shell.exitValue(), timedOut,
                new String(Files.readAllBytes(stdout), StandardCharsets.UTF_8),
                new String(Files.readAllBytes(stderr), StandardCharsets.UTF_8),
                elapsed);
    }

    /** The agent's {@code os.killpg(os.getpgid(pid), SIGKILL)}: the shell leads its own group. */
    static void killProcessGroup(long leaderPid) throws IOException {
        try {
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + leaderPid).inheritIO().start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while killing process group " + leaderPid, e);
        }
    }

    /** The agent strips one leading slash and joins the rest to the base dir (issue #1170). */
    private static String stripLeadingSlash(String command) {
        return command.startsWith("/") ? command.substring(1) : command;
    }
}

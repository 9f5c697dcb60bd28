package io.vmsnapshot.e2e;

import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Polling helpers for what the detached worker does after enable returned. */
public final class Await {
    private Await() {
    }

    /** The status of seq once it is terminal (success or error), checked against the agent's rules at every read. */
    public static AgentStatus terminalStatus(AgentSimulator agent, int seq, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Optional<AgentStatus> status = Optional.empty();
        while (Instant.now().isBefore(deadline)) {
            status = agent.statusIfPresent(seq);
            if (status.isPresent() && status.get().isTerminal()) {
                return status.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no terminal status for seq " + seq + " within " + timeout + "; last: " + status);
    }

    /**
     * Waits until no worker of the package runs any more: a worker writes its status, then its
     * task registry and heartbeat, then exits — a test's sandbox must not be deleted under it.
     *
     * @return the workers still running when the time was up (empty when all ended)
     */
    public static List<Long> noWorkers(Path baseDir, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        List<Long> left = workers(baseDir);
        while (!left.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            left = workers(baseDir);
        }
        return left;
    }

    /** Pids of processes whose command line mentions the base dir and the word "worker". */
    public static List<Long> workers(Path baseDir) throws IOException {
        return processes(baseDir.toString(), " worker");
    }

    /** Pids of live processes whose command line holds all of {@code parts}. */
    public static List<Long> processes(String... parts) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String name = process.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String commandLine = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (!commandLine.isEmpty() && Stream.of(parts).allMatch(commandLine::contains)) {
                        pids.add(Long.parseLong(name));
                    }
                } catch (IOException gone) {
                    // The process exited while we looked.
                }
            }
        }
        return pids;
    }
}

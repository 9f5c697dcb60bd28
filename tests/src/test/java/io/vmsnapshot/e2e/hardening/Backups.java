package io.vmsnapshot.e2e.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** Waiting for and finding the detached workers of a simulated agent's handler. */
final class Backups {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Backups() {
    }

    /** The status of seq once terminal, checked against the agent's rules at every read. */
    static AgentStatus terminalStatus(AgentSimulator agent, int seq, Duration timeout)
            throws IOException, InterruptedException {
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
     * The status the backup service reads: the blob document, which the file document carries as
     * its substatus name (backup-flow §3.2); "" when there is none (lifecycle errors).
     */
    static String blobStatus(AgentStatus status) {
        if (status.substatus().isEmpty()) {
            return "";
        }
        try {
            JsonNode blob = JSON.readTree(status.substatus().get(0).name());
            return blob.path(0).path("status").path("status").asText("");
        } catch (IOException e) {
            throw new AssertionError("substatus name is not the blob document: " + status, e);
        }
    }

    /** Pids of the package's workers: command lines that name the base dir and the verb "worker". */
    static List<Long> workers(Path baseDir) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String name = process.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    List<String> argv = List.of(new String(Files.readAllBytes(process.resolve("cmdline")),
                            StandardCharsets.UTF_8).split("\0"));
                    if (argv.contains("worker") && String.join(" ", argv).contains(baseDir.toString())) {
                        pids.add(Long.parseLong(name));
                    }
                } catch (IOException gone) {
                    // Exited while we looked.
                }
            }
        }
        return pids;
    }

    static List<Long> awaitWorkers(Path baseDir, int count, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        List<Long> found = workers(baseDir);
        while (found.size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
            found = workers(baseDir);
        }
        return found;
    }

    static void noWorkers(Path baseDir, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!workers(baseDir).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
    }
}

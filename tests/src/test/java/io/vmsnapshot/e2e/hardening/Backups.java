package io.vmsnapshot.e2e.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.e2e.Await;
import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Waiting for and finding the detached workers of a simulated agent's handler. */
final class Backups {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Backups() {
    }

    /** The status of seq once terminal, checked against the agent's rules at every read. */
    static AgentStatus terminalStatus(AgentSimulator agent, int seq, Duration timeout)
            throws IOException, InterruptedException {
        return Await.terminalStatus(agent, seq, timeout);
    }

    /**
     * The status the backup service reads: the blob document, which the file document carries as
     * its substatus name (docs/backup-flow.md §3.2); "" when there is none (lifecycle errors).
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

    /** Pids of the package's workers: the launcher's shell or the JVM it exec'd. */
    static List<Long> workers(Path baseDir) throws IOException {
        return Await.workers(baseDir);
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

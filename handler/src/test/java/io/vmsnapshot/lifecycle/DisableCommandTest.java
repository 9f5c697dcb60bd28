package io.vmsnapshot.lifecycle;

import io.vmsnapshot.worker.ChildLockHolder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DisableCommandTest {
    @TempDir
    Path dir;

    @Test
    void disable_stopsTheWorkerAndWritesANotReadyHeartbeat() throws Exception {
        AgentLayout agent = new AgentLayout(dir.resolve("waagent"));
        try (ChildLockHolder worker = new ChildLockHolder(agent.paths().workerLockFile(), false)) {
            assertEquals(ExitCodes.SUCCESS, agent.run(agent.disable()));
            assertTrue(worker.exitsWithin(5_000));
        }
        assertEquals("NotReady", agent.heartbeat().get("status").asText());
        assertEquals("Disabled", agent.heartbeat().get("formattedMessage").get("message").asText());
    }

    @Test
    void disable_withoutHandlerEnvironment_stillSucceeds() throws Exception {
        AgentLayout agent = new AgentLayout(dir.resolve("waagent"));
        java.nio.file.Files.delete(agent.base.resolve("HandlerEnvironment.json"));
        assertEquals(ExitCodes.SUCCESS, agent.run(agent.disable()));
    }
}

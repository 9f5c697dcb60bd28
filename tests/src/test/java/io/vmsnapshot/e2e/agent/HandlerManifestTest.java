package io.vmsnapshot.e2e.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.e2e.agent.AgentSimulator.Operation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository's HandlerManifest.json, read as the agent reads it, and the reader itself. */
class HandlerManifestTest {
    private static final Path REPO_MANIFEST = Path.of(System.getProperty("vmsnapshot.repo"), "HandlerManifest.json");

    @Test
    void repositoryManifest_hasTheFiveCommandsThroughTheLauncher() throws IOException {
        HandlerManifest manifest = HandlerManifest.read(REPO_MANIFEST);
        for (Operation operation : Operation.values()) {
            assertEquals("bin/handle.sh " + operation.verb(), manifest.command(operation), operation.manifestKey());
        }
    }

    @Test
    void repositoryManifest_updatesWithInstall_withoutHeartbeat_andStopsOnUpdateFailure() throws IOException {
        HandlerManifest manifest = HandlerManifest.read(REPO_MANIFEST);
        assertTrue(manifest.updateWithInstall());
        assertFalse(manifest.reportHeartbeat(), "with a heartbeat the agent would call us Unresponsive between backups");
        assertFalse(manifest.continueOnUpdateFailure());
        assertFalse(manifest.supportsMultipleExtensions(), "single config");
        JsonNode raw = new ObjectMapper().readTree(REPO_MANIFEST.toFile()).get(0).get("handlerManifest");
        assertEquals("UpdateWithInstall", raw.get("updateMode").textValue());
        assertTrue(raw.get("reportHeartbeat").isBoolean() && raw.get("continueOnUpdateFailure").isBoolean()
                && raw.get("rebootAfterInstall").isBoolean(), "real booleans: the older agent takes any truthy value");
        assertFalse(raw.get("rebootAfterInstall").booleanValue());
    }

    @Test
    void read_failsLikeTheAgent_whenACommandIsMissing(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("HandlerManifest.json"),
                "[{\"handlerManifest\":{\"installCommand\":\"a\",\"enableCommand\":\"b\",\"disableCommand\":\"c\","
                        + "\"uninstallCommand\":\"d\"}}]");
        assertThrows(IOException.class, () -> HandlerManifest.read(file));
    }

    @Test
    void read_takesOnlyTrueOrTheStringTrue_asTrue(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("HandlerManifest.json"),
                "[{\"handlerManifest\":{\"installCommand\":\"a\",\"enableCommand\":\"b\",\"disableCommand\":\"c\","
                        + "\"uninstallCommand\":\"d\",\"updateCommand\":\"e\",\"reportHeartbeat\":\"TRUE\","
                        + "\"continueOnUpdateFailure\":1,\"updateMode\":\"UpdateWithoutInstall\"}}]");
        HandlerManifest manifest = HandlerManifest.read(file);
        assertTrue(manifest.reportHeartbeat());
        assertFalse(manifest.continueOnUpdateFailure());
        assertFalse(manifest.updateWithInstall());
    }
}

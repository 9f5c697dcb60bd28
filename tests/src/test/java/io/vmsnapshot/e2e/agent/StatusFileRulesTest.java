package io.vmsnapshot.e2e.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatusFileRulesTest {
    private static final String GOOD = "[{\"version\":1.0,\"timestampUTC\":\"2026-01-01T00:00:00Z\",\"status\":{"
            + "\"name\":\"x\",\"operation\":\"Enable\",\"status\":\"transitioning\",\"code\":4,"
            + "\"formattedMessage\":{\"lang\":\"en-US\",\"message\":\"Transitioning\"},"
            + "\"substatus\":[{\"name\":\"blob\",\"status\":\"success\",\"code\":0,"
            + "\"formattedMessage\":{\"lang\":\"en-US\",\"message\":\"m\"}}, null]}}]";

    @TempDir
    Path dir;

    @Test
    void checkStatus_acceptsTheAgentsShape_andReturnsWhatItUploads() {
        AgentStatus status = StatusFileRules.checkStatus(bytes(GOOD), "good");
        assertEquals("transitioning", status.status());
        assertEquals(4, status.code());
        assertEquals("Transitioning", status.message());
        assertEquals("Enable", status.operation());
        assertEquals(1, status.substatus().size(), "null items are skipped");
        assertEquals("blob", status.substatus().get(0).name());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"status\":{}}",                                              // not an array: 1012
        "[]",                                                          // uploaded as a null status
        "[1]",                                                         // TypeError in the agent
        "[{\"status\":\"status\"}]",                                   // TypeError in the agent
        "[{\"nostatus\":{}}]",                                         // 1012
        "[{\"status\":{\"status\":\"Success\",\"code\":0,\"formattedMessage\":{\"lang\":\"en-US\",\"message\":\"m\"}}}]",
        "[{\"status\":{\"status\":\"success\",\"code\":\"0\",\"formattedMessage\":{\"lang\":\"en-US\",\"message\":\"m\"}}}]",
        "[{\"status\":{\"status\":\"success\",\"code\":0}}]",          // no message
        "[{\"status\":{\"status\":\"success\",\"code\":0,\"formattedMessage\":\"lang message\"}}]",  // AttributeError
        "[{\"status\":{\"status\":\"success\",\"code\":0,\"formattedMessage\":{\"message\":\"m\"}}}]",
        "[{\"status\":{\"status\":\"success\",\"code\":0,\"formattedMessage\":{\"lang\":\"en-US\",\"message\":\"m\"},"
                + "\"substatus\":{\"status\":\"success\"}}}]",         // TypeError in the agent
        "[{\"status\":{\"status\":\"success\",\"code\":0,\"formattedMessage\":{\"lang\":\"en-US\",\"message\":\"m\"},"
                + "\"substatus\":[{\"status\":\"done\",\"name\":\"n\"}]}}]",
        "[{\"status\":{\"status\":\"success\",\"code\":0,\"formattedMessage\":{\"lang\":\"en-US\",\"message\":\"m\"}}}] x",
        "",
    })
    void checkStatus_rejectsShapesTheAgentRejectsRewritesOrCrashesOn(String text) {
        assertThrows(AssertionError.class, () -> StatusFileRules.checkStatus(bytes(text), "bad"));
    }

    @Test
    void checkStatus_rejectsAFileOver128KiB() throws IOException {
        String big = GOOD.replace("\"m\"", "\"" + "x".repeat(140 * 1024) + "\"");
        Path file = Files.writeString(dir.resolve("0.status"), big);
        AssertionError error = assertThrows(AssertionError.class, () -> StatusFileRules.checkStatus(file));
        assertTrue(error.getMessage().contains("128 KiB"), error.getMessage());
    }

    @Test
    void checkHeartbeat_acceptsAFreshReadyHeartbeat_andRejectsStaleOrMalformedOnes() throws IOException {
        Path file = Files.writeString(dir.resolve("heartbeat.log"),
                "[{\"version\":1.0,\"heartbeat\":{\"status\":\"Ready\",\"code\":0,"
                        + "\"formattedMessage\":{\"lang\":\"en-US\",\"message\":\"idle\"}}}]");
        assertEquals("Ready", StatusFileRules.checkHeartbeat(file, Instant.now()));

        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(601)));
        assertThrows(AssertionError.class, () -> StatusFileRules.checkHeartbeat(file, Instant.now()));

        Files.writeString(file, "{\"heartbeat\":{\"status\":\"Ready\",\"code\":0}}");
        assertThrows(AssertionError.class, () -> StatusFileRules.checkHeartbeat(file, Instant.now()));
        assertThrows(AssertionError.class, () -> StatusFileRules.checkHeartbeat(dir.resolve("missing"), Instant.now()));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

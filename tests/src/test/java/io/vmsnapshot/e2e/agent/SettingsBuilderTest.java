package io.vmsnapshot.e2e.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsBuilderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void snapshot_buildsAValidRequest_withBase64JsonObjectStrs() throws Exception {
        Settings settings = SettingsBuilder.snapshot().taskId("t").blobSasUris(List.of("https://127.0.0.1/d?sig=s"))
                .includedDisks(List.of(0, 1), true).build();

        JsonNode publicSettings = settings.publicSettings();
        assertEquals("snapshot", publicSettings.get("commandToExecute").asText());
        assertEquals("t", settings.taskId());
        JsonNode publicObject = JSON.readTree(Base64.getDecoder().decode(publicSettings.get("objectStr").asText()));
        assertTrue(publicObject.get("backupMetadata").isArray());
        assertEquals(2, publicObject.get("includedDisks").get("dataDiskLunList").size());
        JsonNode protectedObject = JSON.readTree(Base64.getDecoder().decode(settings.protectedSettings().get("objectStr").asText()));
        assertEquals("https://127.0.0.1/d?sig=s", protectedObject.get("blobSASUri").get(0).asText());
    }

    @Test
    void commandStartTime_isInDotNetTicks() {
        Settings settings = SettingsBuilder.snapshot().commandStartTime(Instant.parse("1970-01-01T00:00:01Z")).build();
        assertEquals("621355968010000000", settings.publicSettings().get("commandStartTimeUTCTicks").asText());
    }

    @Test
    void breakingOneField_leavesTheOthers() {
        Settings settings = SettingsBuilder.snapshot().publicObjectStrRaw("not base64!").removePublic("locale").build();
        assertEquals("not base64!", settings.publicSettings().get("objectStr").asText());
        assertTrue(settings.publicSettings().has("taskId") && !settings.publicSettings().has("locale"));
    }
}

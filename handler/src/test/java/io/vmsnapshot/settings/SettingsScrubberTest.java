package io.vmsnapshot.settings;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SettingsScrubberTest {
    private static final FileTime WRITTEN = FileTime.from(Instant.parse("2026-03-01T10:00:00Z"));
    private static final String WITH_PROTECTED = "{\"runtimeSettings\": [{\"handlerSettings\": {"
            + "\"publicSettings\": {\"taskId\": \"t1\"}, \"protectedSettings\": \"MIIBase64==\", "
            + "\"protectedSettingsCertThumbprint\": \"ABCDEF0123456789ABCDEF0123456789ABCDEF01\"}}]}";

    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path file = fs.getPath("/base/config/5.settings");
    private final SettingsScrubber scrubber = new SettingsScrubber();

    @BeforeEach
    void createFolder() throws IOException {
        Files.createDirectories(file.getParent());
    }

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void strip_removesProtectedSettingsAndThumbprintAndKeepsTheRest() throws Exception {
        write(WITH_PROTECTED);

        scrubber.stripProtectedSettings(file);

        JsonNode handlerSettings = new ObjectMapper().readTree(Files.readString(file))
                .get("runtimeSettings").get(0).get("handlerSettings");
        assertFalse(handlerSettings.has("protectedSettings"));
        assertFalse(handlerSettings.has("protectedSettingsCertThumbprint"));
        assertEquals("t1", handlerSettings.get("publicSettings").get("taskId").textValue());
    }

    @Test
    void strip_keepsTheModificationTimeSoTheNewestSettingsFileStaysTheNewest() throws Exception {
        write(WITH_PROTECTED);

        scrubber.stripProtectedSettings(file);

        assertEquals(WRITTEN, Files.getLastModifiedTime(file));
        assertFalse(Files.readString(file).contains("MIIBase64"));
    }

    @Test
    void strip_fileWithoutProtectedSettings_isLeftUntouched() throws Exception {
        String content = "{\"runtimeSettings\":[{\"handlerSettings\":{\"publicSettings\":null}}]}  ";
        write(content);

        scrubber.stripProtectedSettings(file);

        assertEquals(content, Files.readString(file));
        assertEquals(WRITTEN, Files.getLastModifiedTime(file));
    }

    @Test
    void strip_emptyFile_isLeftUntouched() throws Exception {
        write("");

        scrubber.stripProtectedSettings(file);

        assertArrayEquals(new byte[0], Files.readAllBytes(file));
    }

    @Test
    void strip_missingFile_hasNothingToDo() throws Exception {
        scrubber.stripProtectedSettings(file);

        assertFalse(Files.exists(file));
    }

    @Test
    void strip_notJson_failsNamingTheFile() throws Exception {
        write("{\"runtimeSettings\": [ protectedSettings");

        IOException e = assertThrows(IOException.class, () -> scrubber.stripProtectedSettings(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    private void write(String content) throws IOException {
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, WRITTEN);
    }
}

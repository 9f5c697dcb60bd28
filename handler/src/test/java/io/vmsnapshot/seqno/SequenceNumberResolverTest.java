package io.vmsnapshot.seqno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SequenceNumberResolverTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path config = fs.getPath("/base/config");
    private final SequenceNumberResolver withoutEnv = new SequenceNumberResolver(Map.of());

    @BeforeEach
    void createConfigFolder() throws IOException {
        Files.createDirectories(config);
    }

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void resolve_whenEnvVarSet_usesIt() throws Exception {
        settings("9.settings", 100);

        assertEquals(3, new SequenceNumberResolver(Map.of("ConfigSequenceNumber", "3")).resolve(config));
    }

    @Test
    void resolve_whenEnvVarHasSpaces_usesTheNumber() throws Exception {
        assertEquals(12, new SequenceNumberResolver(Map.of("ConfigSequenceNumber", " 12\n")).resolve(config));
    }

    @Test
    void resolve_whenEnvVarIsGarbage_isSettingsInvalidNamingTheVariable() {
        HandlerException e = assertThrows(HandlerException.class,
                () -> new SequenceNumberResolver(Map.of("ConfigSequenceNumber", "abc")).resolve(config));

        assertEquals(ErrorCode.SETTINGS_INVALID, e.errorCode());
        assertTrue(e.detail().contains("ConfigSequenceNumber") && e.detail().contains("'abc'"), e.detail());
    }

    @Test
    void resolve_whenEnvVarIsNegative_isSettingsInvalid() {
        assertEquals(ErrorCode.SETTINGS_INVALID, assertThrows(HandlerException.class,
                () -> new SequenceNumberResolver(Map.of("ConfigSequenceNumber", "-1")).resolve(config)).errorCode());
    }

    @Test
    void resolve_whenEnvVarMissing_usesNewestSettingsFileByMtimeNotNumber() throws Exception {
        settings("10.settings", 10);
        settings("2.settings", 20);
        settings("7.settings", 15);

        assertEquals(2, withoutEnv.resolve(config));
    }

    @Test
    void resolve_whenEnvVarBlank_fallsBackToSettingsFiles() throws Exception {
        settings("4.settings", 10);

        assertEquals(4, new SequenceNumberResolver(Map.of("ConfigSequenceNumber", "")).resolve(config));
    }

    @Test
    void resolve_whenMtimesTie_usesHighestNumber() throws Exception {
        settings("3.settings", 10);
        settings("5.settings", 10);
        settings("4.settings", 10);

        assertEquals(5, withoutEnv.resolve(config));
    }

    @Test
    void resolve_ignoresRenamedAndNonNumericFiles() throws Exception {
        settings("1.settings", 10);
        settings("8_settings", 50);
        settings("x.settings", 50);
        settings("9.settings.tmp", 50);
        settings("HandlerState", 50);

        assertEquals(1, withoutEnv.resolve(config));
    }

    @Test
    void resolve_withoutSettingsFiles_isZero() throws Exception {
        assertEquals(0, withoutEnv.resolve(config));
    }

    @Test
    void resolve_whenConfigFolderMissing_isHandlerEnvironmentInvalidNamingTheFolder() {
        Path missing = fs.getPath("/nowhere/config");

        HandlerException e = assertThrows(HandlerException.class, () -> withoutEnv.resolve(missing));

        assertEquals(ErrorCode.HANDLER_ENVIRONMENT_INVALID, e.errorCode());
        assertTrue(e.detail().contains(missing.toString()), e.detail());
    }

    private void settings(String name, int secondsAfterT0) throws IOException {
        Path file = Files.writeString(config.resolve(name), "");
        Files.setLastModifiedTime(file, FileTime.from(T0.plusSeconds(secondsAfterT0)));
    }
}

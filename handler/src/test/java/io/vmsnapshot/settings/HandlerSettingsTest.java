package io.vmsnapshot.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HandlerSettingsTest {
    private static final ProtectedSettings PROTECTED = new ProtectedSettings(List.of("https://a/b?sig=BLOB"),
            "https://a/logs?sig=PLOG", "https://a/status?sig=PSTATUS", "PTOKEN", Optional.of("{\"backupRetryCount\":1}"));

    @Test
    void none_isEmpty() {
        assertTrue(HandlerSettings.NONE.isEmpty());
    }

    @Test
    void accessors_whenPublicValuesAreEmpty_fallBackToProtected() throws Exception {
        HandlerSettings settings = new HandlerSettings(PublicSettings.EMPTY, PROTECTED);

        assertEquals("https://a/status?sig=PSTATUS", settings.statusBlobUri());
        assertEquals("https://a/logs?sig=PLOG", settings.logsBlobUri());
        assertEquals("PTOKEN", settings.snapshotTaskToken());
        assertEquals(1, settings.customSettings().orElseThrow().backupRetryCount());
        assertFalse(settings.isEmpty());
    }

    @Test
    void accessors_whenPublicValuesArePresent_preferPublic() throws Exception {
        PublicObject object = new PublicObject(List.of(), "PUBTOKEN", IncludedDisks.NONE, List.of());
        PublicSettings pub = new PublicSettings("snapshot", "t", "", "https://p/logs?sig=L", "https://p/status?sig=S",
                Optional.empty(), "", Optional.of("{\"backupRetryCount\":5}"), object);

        HandlerSettings settings = new HandlerSettings(pub, PROTECTED);

        assertEquals("https://p/status?sig=S", settings.statusBlobUri());
        assertEquals("https://p/logs?sig=L", settings.logsBlobUri());
        assertEquals("PUBTOKEN", settings.snapshotTaskToken());
        assertEquals(5, settings.customSettings().orElseThrow().backupRetryCount());
    }

    @Test
    void customSettings_whenNeitherHasThem_isEmpty() throws Exception {
        assertEquals(Optional.empty(), HandlerSettings.NONE.customSettings());
    }

    @Test
    void toString_showsNoSasSignatureOrToken() {
        PublicObject object = new PublicObject(List.of(new KeyValue("BackupId", "b")), "PUBTOKEN",
                IncludedDisks.NONE, List.of());
        PublicSettings pub = new PublicSettings("snapshot", "t", "", "", "https://p/status?sig=S3CR3T",
                Optional.of(1L), "", Optional.empty(), object);

        String text = new HandlerSettings(pub, PROTECTED).toString();

        for (String secret : List.of("S3CR3T", "PUBTOKEN", "BLOB", "PLOG", "PSTATUS", "PTOKEN", "sig=")) {
            assertFalse(text.contains(secret), secret + " in " + text);
        }
        assertTrue(text.contains("https://p/status?<redacted>") && text.contains("1 blobs"), text);
    }
}

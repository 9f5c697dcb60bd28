package io.vmsnapshot.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.settings.EncryptedHandlerSettings;
import io.vmsnapshot.settings.PublicObject;
import io.vmsnapshot.settings.PublicSettings;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
    private static final Path FILE = Path.of("/var/lib/waagent/x/config/3.settings");

    private static EncryptedHandlerSettings command(String command) {
        return new EncryptedHandlerSettings(new PublicSettings(command, "t", "", "", "", Optional.empty(), "",
                Optional.empty(), PublicObject.EMPTY), "", "", "settings file " + FILE);
    }

    private static String rejection(EncryptedHandlerSettings settings) {
        HandlerException e = assertThrows(HandlerException.class, () -> RequestValidator.validate(settings, FILE));
        assertEquals(ErrorCode.SETTINGS_INVALID, e.errorCode());
        return e.detail();
    }

    @Test
    void validate_acceptsSnapshotInAnyCaseAndInsideALongerCommand() throws HandlerException {
        RequestValidator.validate(command("snapshot"), FILE);
        RequestValidator.validate(command(" SnapShot "), FILE);
        RequestValidator.validate(command("doSnapshotNow"), FILE);
        RequestValidator.validate(command("Install"), FILE);
    }

    @Test
    void validate_withoutAnySettings_saysTheFileIsEmpty() {
        assertTrue(rejection(EncryptedHandlerSettings.NONE).contains(FILE + " is empty"));
    }

    @Test
    void validate_ofProtectedSettingsWithoutPublicOnes_asksForTheCommandWithoutDecryptingThem() {
        EncryptedHandlerSettings onlyProtected = new EncryptedHandlerSettings(
                PublicSettings.EMPTY, "MIIB", "ABCD", "settings file " + FILE);
        String detail = rejection(onlyProtected);
        assertTrue(detail.contains("publicSettings.commandToExecute is missing in " + FILE), detail);
    }

    @Test
    void validate_withoutACommand_namesTheField() {
        String detail = rejection(command("  "));
        assertTrue(detail.contains("publicSettings.commandToExecute is missing in " + FILE), detail);
    }

    @Test
    void validate_withAnUnknownCommand_quotesItShortAndPrintable() {
        String detail = rejection(command("rm -rf /\u0007" + "x".repeat(100)));
        assertTrue(detail.contains("\"rm -rf /?" + "x".repeat(55) + "...\""), detail);
        assertTrue(detail.contains("expected \"snapshot\""), detail);
    }

    @Test
    void isInstallRequest_onlyForAnInstallWithoutSnapshot() {
        assertTrue(RequestValidator.isInstallRequest(command("install")));
        assertTrue(RequestValidator.isInstallRequest(command("INSTALL")));
        assertFalse(RequestValidator.isInstallRequest(command("installAndSnapshot")));
        assertFalse(RequestValidator.isInstallRequest(command("snapshot")));
    }
}

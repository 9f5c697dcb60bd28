package io.vmsnapshot.lifecycle;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.settings.EncryptedHandlerSettings;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What enable accepts beyond a well-formed settings file: a request with settings, and a command
 * this extension runs, judged on the public settings alone (enable does not decrypt the protected
 * ones). Upstream matches {@code commandToExecute} by lower-case substring; so do we.
 */
final class RequestValidator {
    private RequestValidator() {
    }

    static void validate(EncryptedHandlerSettings settings, Path settingsFile) throws HandlerException {
        if (settings.isEmpty()) {
            throw new HandlerException(ErrorCode.SETTINGS_INVALID, "There are no settings: " + settingsFile
                    + " is empty, so there is no backup request to run.");
        }
        String command = command(settings);
        if (command.isEmpty()) {
            throw new HandlerException(ErrorCode.SETTINGS_INVALID, "publicSettings.commandToExecute is missing in "
                    + settingsFile + "; expected \"snapshot\".");
        }
        if (!command.contains("snapshot") && !command.contains("install")) {
            throw new HandlerException(ErrorCode.SETTINGS_INVALID, "publicSettings.commandToExecute \""
                    + printable(settings.publicSettings().commandToExecute()) + "\" in " + settingsFile
                    + " is not a command this extension runs; expected \"snapshot\".");
        }
    }

    /** Without a task id a backup can neither be deduplicated nor named to the host: refuse it. */
    static void requireTaskId(EncryptedHandlerSettings settings, Path settingsFile) throws HandlerException {
        if (settings.publicSettings().taskId().isBlank()) {
            throw new HandlerException(ErrorCode.SETTINGS_INVALID, "publicSettings.taskId is empty in " + settingsFile
                    + "; a backup request must name its task.");
        }
    }

    static boolean isInstallRequest(EncryptedHandlerSettings settings) {
        String command = command(settings);
        return command.contains("install") && !command.contains("snapshot");
    }

    private static String command(EncryptedHandlerSettings settings) {
        String command = settings.publicSettings().commandToExecute();
        return command == null ? "" : command.trim().toLowerCase(Locale.ROOT);
    }

    /** The value is the service's, not a secret, but it may be anything: keep it short and printable. */
    private static String printable(String value) {
        String cleaned = value.replaceAll("[^\\p{Print}]", "?");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "..." : cleaned;
    }
}

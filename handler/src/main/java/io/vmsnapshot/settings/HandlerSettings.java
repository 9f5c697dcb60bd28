package io.vmsnapshot.settings;

import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.json.JsonText;
import io.vmsnapshot.json.MalformedJsonException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One settings file, decoded. The accessors below apply upstream's fallbacks: a value missing or
 * empty in the public settings is taken from the protected ones.
 */
public record HandlerSettings(PublicSettings publicSettings, ProtectedSettings protectedSettings) {

    /** The empty (0-byte) settings file the agent writes for a handler without settings. */
    public static final HandlerSettings NONE = new HandlerSettings(PublicSettings.EMPTY, ProtectedSettings.EMPTY);

    public HandlerSettings {
        Objects.requireNonNull(publicSettings, "publicSettings");
        Objects.requireNonNull(protectedSettings, "protectedSettings");
    }

    public boolean isEmpty() {
        return publicSettings.isEmpty() && protectedSettings.isEmpty();
    }

    public String statusBlobUri() {
        return firstNonEmpty(publicSettings.statusBlobUri(), protectedSettings.statusBlobUri());
    }

    public String logsBlobUri() {
        return firstNonEmpty(publicSettings.logsBlobUri(), protectedSettings.logsBlobUri());
    }

    /** From the public {@code objectStr}, else the protected settings. */
    public String snapshotTaskToken() {
        return firstNonEmpty(publicSettings.objectStr().snapshotTaskToken(), protectedSettings.snapshotTaskToken());
    }

    /** The raw {@code customSettings} JSON: public if non-empty, else protected. */
    public Optional<String> customSettingsJson() {
        return publicSettings.customSettings().or(protectedSettings::customSettings);
    }

    /**
     * The parsed {@link #customSettingsJson()}. {@link SettingsReader} has already parsed it once,
     * so for settings it returned this does not fail.
     */
    public Optional<CustomSettings> customSettings() throws HandlerException {
        Optional<String> json = customSettingsJson();
        return json.isEmpty() ? Optional.empty() : Optional.of(CustomSettings.parse(json.get()));
    }

    /**
     * customSettings {@code isOnlyOSDiskBackupEnabled}: the service bills the OS disk only, so the used
     * size counts {@code /} only (upstream's SizeCalculation.py). Absent or unreadable: false.
     */
    public boolean onlyOsDiskBackup() {
        return customSettingsJson().map(json -> {
            try {
                return JsonText.parse(json).path("isOnlyOSDiskBackupEnabled").asBoolean(false);
            } catch (MalformedJsonException e) {
                return false;
            }
        }).orElse(false);
    }

    public List<String> blobSasUris() {
        return protectedSettings.blobSASUri();
    }

    private static String firstNonEmpty(String preferred, String fallback) {
        return preferred.isEmpty() ? fallback : preferred;
    }
}

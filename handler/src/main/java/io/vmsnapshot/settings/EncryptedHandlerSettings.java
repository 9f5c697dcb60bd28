package io.vmsnapshot.settings;

import java.util.Objects;

/**
 * One settings file as enable reads it: the public settings decoded and checked, the protected ones
 * still as the agent wrote them (base64 CMS addressed to a certificate by thumbprint). Enable decides
 * nothing on the protected settings, so it leaves their decryption to the worker, which needs them
 * for the backup ({@link SettingsReader#decrypt}).
 *
 * @param protectedSettings          the base64 of the CMS envelope; empty when the file has none
 * @param protectedSettingsThumbprint the certificate it is encrypted to; empty when the file names none
 * @param source                     where it came from, for messages: {@code settings file /x/0.settings}
 */
public record EncryptedHandlerSettings(PublicSettings publicSettings, String protectedSettings,
                                       String protectedSettingsThumbprint, String source) {

    /** The empty (0-byte) settings file the agent writes for a handler without settings. */
    public static final EncryptedHandlerSettings NONE = new EncryptedHandlerSettings(PublicSettings.EMPTY, "", "", "");

    public EncryptedHandlerSettings {
        Objects.requireNonNull(publicSettings, "publicSettings");
        Objects.requireNonNull(protectedSettings, "protectedSettings");
        Objects.requireNonNull(protectedSettingsThumbprint, "protectedSettingsThumbprint");
        Objects.requireNonNull(source, "source");
    }

    /** Whether there are neither public nor protected settings: no request at all. */
    public boolean isEmpty() {
        return publicSettings.isEmpty() && !hasProtectedSettings();
    }

    public boolean hasProtectedSettings() {
        return !protectedSettings.isBlank();
    }

    /** The envelope is no secret, but some kilobytes of base64 help no reader of a log. */
    @Override
    public String toString() {
        return "EncryptedHandlerSettings[publicSettings=" + publicSettings
                + ", protectedSettings=" + protectedSettings.length() + " characters"
                + ", protectedSettingsThumbprint=" + protectedSettingsThumbprint
                + ", source=" + source + "]";
    }
}

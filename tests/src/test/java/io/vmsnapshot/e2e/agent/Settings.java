package io.vmsnapshot.e2e.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * One runtime setting as CRP sends it, before the agent writes it to {@code config/<seq>.settings}.
 * Protected settings are held in plain text here and encrypted when the file is written, unless the
 * test supplies the exact {@code protectedSettings} text ({@link #rawProtectedSettings}) or asks for
 * them to be encrypted to some other certificate ({@link #encryptTo}).
 *
 * @param publicSettings the public settings object, or null for {@code "publicSettings": null}
 * @param protectedSettings the protected settings object in clear, or null for none
 * @param rawProtectedSettings replaces the encrypted text verbatim (e.g. "not base64")
 * @param encryptTo the certificate to encrypt to instead of the VM's tenant certificate; the settings
 *                  still name the VM's thumbprint (a rotated or foreign certificate)
 */
public record Settings(ObjectNode publicSettings, ObjectNode protectedSettings,
                       Optional<String> rawProtectedSettings, Optional<TenantCertificate> encryptTo) {
    public Settings {
        rawProtectedSettings = rawProtectedSettings == null ? Optional.empty() : rawProtectedSettings;
        encryptTo = encryptTo == null ? Optional.empty() : encryptTo;
    }

    public Settings withRawProtectedSettings(String text) {
        return new Settings(publicSettings, protectedSettings, Optional.of(text), encryptTo);
    }

    public Settings encryptedTo(TenantCertificate other) {
        return new Settings(publicSettings, protectedSettings, rawProtectedSettings, Optional.of(other));
    }

    public String taskId() {
        return publicSettings == null ? null : publicSettings.path("taskId").asText(null);
    }
}

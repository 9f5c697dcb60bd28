package io.vmsnapshot.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.json.JsonText;
import io.vmsnapshot.json.MalformedJsonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads {@code config/<seq>.settings} (docs/agent-contract.md §4): exactly one {@code runtimeSettings}
 * entry whose {@code handlerSettings} hold the public settings and the encrypted protected ones.
 * Two steps, one parser: {@link #readPublic} decodes and checks everything public, so a bad request
 * fails in enable before anything runs, and leaves the protected settings encrypted; {@link #decrypt}
 * (the worker's, which needs them for the backup) decrypts and checks those.
 */
public final class SettingsReader {
    private final Path certificateDir;

    /** @param certificateDir the agent's lib dir, where {@code <THUMBPRINT>.crt/.prv} live */
    public SettingsReader(Path certificateDir) {
        this.certificateDir = Objects.requireNonNull(certificateDir, "certificateDir");
    }

    /** Both steps: the settings the backup runs on. */
    public HandlerSettings read(Path settingsFile) throws HandlerException {
        return decrypt(readPublic(settingsFile));
    }

    /** The public settings decoded and checked; the protected ones are not even base64-decoded. */
    public EncryptedHandlerSettings readPublic(Path settingsFile) throws HandlerException {
        String source = "settings file " + settingsFile;
        byte[] content;
        try {
            content = Files.readAllBytes(settingsFile);
        } catch (NoSuchFileException e) {
            throw new HandlerException(ErrorCode.SETTINGS_INVALID, source + " does not exist");
        } catch (IOException e) {
            throw new HandlerException(ErrorCode.SETTINGS_INVALID, source + " cannot be read: " + e, e);
        }
        if (new String(content, StandardCharsets.UTF_8).isBlank()) {
            return EncryptedHandlerSettings.NONE;
        }
        SettingsNode handlerSettings = handlerSettings(parse(content, source), source);

        PublicSettings publicSettings = handlerSettings.has("publicSettings")
                ? PublicSettings.from(handlerSettings.object("publicSettings").orElseThrow())
                : PublicSettings.EMPTY;
        // Parsed now so a bad one fails here, naming the file, and never later mid-backup.
        if (publicSettings.customSettings().isPresent()) {
            CustomSettings.parse(publicSettings.customSettings().get(), source);
        }
        String encrypted = handlerSettings.string("protectedSettings");
        // The thumbprint only matters (and is only checked) when there is something to decrypt.
        String thumbprint = encrypted.isBlank() ? "" : handlerSettings.string("protectedSettingsCertThumbprint");
        return new EncryptedHandlerSettings(publicSettings, encrypted, thumbprint, source);
    }

    /**
     * The protected settings decrypted (with the certificate and key the agent left for the
     * thumbprint) and checked, beside the public ones.
     */
    public HandlerSettings decrypt(EncryptedHandlerSettings settings) throws HandlerException {
        if (settings == EncryptedHandlerSettings.NONE) {
            return HandlerSettings.NONE;
        }
        ProtectedSettings protectedSettings = protectedSettings(settings);
        // The public customSettings win and were checked by readPublic; else the protected ones count.
        if (settings.publicSettings().customSettings().isEmpty() && protectedSettings.customSettings().isPresent()) {
            CustomSettings.parse(protectedSettings.customSettings().get(), settings.source());
        }
        return new HandlerSettings(settings.publicSettings(), protectedSettings);
    }

    private SettingsNode parse(byte[] content, String source) throws HandlerException {
        try {
            return SettingsNode.of(JsonText.parse(content), "", source);
        } catch (MalformedJsonException e) {
            throw new HandlerException(ErrorCode.SETTINGS_INVALID,
                    source + " is not valid JSON " + SettingsNode.location(e));
        }
    }

    private static SettingsNode handlerSettings(SettingsNode root, String source) throws HandlerException {
        JsonNode runtimeSettings = root.json().get("runtimeSettings");
        if (runtimeSettings == null || !runtimeSettings.isArray() || runtimeSettings.size() != 1) {
            int count = runtimeSettings != null && runtimeSettings.isArray() ? runtimeSettings.size() : 0;
            throw new HandlerException(ErrorCode.SETTINGS_INVALID, source
                    + " must hold exactly one 'runtimeSettings' entry but holds " + count);
        }
        SettingsNode entry = SettingsNode.of(runtimeSettings.get(0), "runtimeSettings[0]", source);
        SettingsNode handlerSettings = entry.object("handlerSettings")
                .orElseThrow(() -> entry.invalid("handlerSettings", "is missing"));
        // Fields are named from here on, e.g. 'publicSettings.objectStr': that is what people know.
        return SettingsNode.of(handlerSettings.json(), "", source);
    }

    private ProtectedSettings protectedSettings(EncryptedHandlerSettings settings) throws HandlerException {
        if (!settings.hasProtectedSettings()) {
            return ProtectedSettings.EMPTY;
        }
        String thumbprint = settings.protectedSettingsThumbprint();
        if (thumbprint.isBlank()) {
            throw SettingsNode.invalidField(settings.source(), "protectedSettingsCertThumbprint",
                    "is missing, so the protected settings cannot be decrypted");
        }
        String plain;
        try {
            // Made here, not at construction: enable, which never decrypts, loads none of BouncyCastle.
            plain = new ProtectedSettingsDecryptor(certificateDir).decrypt(settings.protectedSettings(), thumbprint);
        } catch (HandlerException e) {
            throw new HandlerException(e.errorCode(), settings.source() + ": " + e.detail(), e.getCause());
        }
        return ProtectedSettings.from(SettingsNode.parse(plain, "protectedSettings", settings.source()));
    }
}

package io.vmsnapshot.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads {@code config/<seq>.settings} (docs/agent-contract.md §4): exactly one {@code runtimeSettings}
 * entry whose {@code handlerSettings} hold the public settings and the encrypted protected ones.
 * Everything the backup later needs is decoded and checked here, so a bad request fails before
 * anything runs.
 */
public final class SettingsReader {
    private final ProtectedSettingsDecryptor decryptor;
    private final ObjectMapper json = new ObjectMapper();

    /** @param certificateDir the agent's lib dir, where {@code <THUMBPRINT>.crt/.prv} live */
    public SettingsReader(Path certificateDir) {
        this(new ProtectedSettingsDecryptor(certificateDir));
    }

    SettingsReader(ProtectedSettingsDecryptor decryptor) {
        this.decryptor = Objects.requireNonNull(decryptor, "decryptor");
    }

    public HandlerSettings read(Path settingsFile) throws HandlerException {
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
            return HandlerSettings.NONE;
        }
        SettingsNode handlerSettings = handlerSettings(parse(content, source), source);

        PublicSettings publicSettings = handlerSettings.has("publicSettings")
                ? PublicSettings.from(json, handlerSettings.object("publicSettings").orElseThrow())
                : PublicSettings.EMPTY;
        HandlerSettings settings = new HandlerSettings(publicSettings, protectedSettings(handlerSettings));
        // Parsed now so a bad one fails here, naming the file, and never later mid-backup.
        if (settings.customSettingsJson().isPresent()) {
            CustomSettings.parse(settings.customSettingsJson().get(), source);
        }
        return settings;
    }

    private SettingsNode parse(byte[] content, String source) throws HandlerException {
        try {
            return SettingsNode.of(json.readTree(content), "", source);
        } catch (JsonProcessingException e) {
            throw new HandlerException(ErrorCode.SETTINGS_INVALID,
                    source + " is not valid JSON " + SettingsNode.location(e));
        } catch (IOException e) {
            throw new HandlerException(ErrorCode.SETTINGS_INVALID, source + " cannot be parsed");
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

    private ProtectedSettings protectedSettings(SettingsNode handlerSettings) throws HandlerException {
        String encrypted = handlerSettings.string("protectedSettings");
        if (encrypted.isBlank()) {
            return ProtectedSettings.EMPTY;
        }
        String thumbprint = handlerSettings.string("protectedSettingsCertThumbprint");
        if (thumbprint.isBlank()) {
            throw handlerSettings.invalid("protectedSettingsCertThumbprint",
                    "is missing, so the protected settings cannot be decrypted");
        }
        String plain;
        try {
            plain = decryptor.decrypt(encrypted, thumbprint);
        } catch (HandlerException e) {
            throw new HandlerException(e.errorCode(), handlerSettings.source() + ": " + e.detail(), e.getCause());
        }
        return ProtectedSettings.from(json, SettingsNode.parse(json, plain, "protectedSettings", handlerSettings.source()));
    }
}

package io.vmsnapshot.e2e.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Settings for one backup request, shaped like CRP's (docs/backup-flow.md §1.3/§1.4): public settings
 * with {@code commandToExecute}, {@code taskId}, {@code locale}, {@code commandStartTimeUTCTicks},
 * {@code vmType}, the blob URIs and {@code objectStr} (base64 JSON: backupMetadata, includedDisks,
 * ...); protected settings with {@code objectStr} (base64 JSON with the per-disk {@code blobSASUri}
 * list). Defaults make a valid request; each setter changes one thing, and {@link #publicField},
 * {@link #removePublic}, {@link #publicObjectStrRaw} let a test break exactly one field.
 */
public final class SettingsBuilder {
    /** .NET ticks (100 ns) between 0001-01-01 and the Unix epoch. */
    private static final long TICKS_AT_EPOCH = 621_355_968_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode publicSettings = JSON.createObjectNode();
    private final ObjectNode publicObject = JSON.createObjectNode();
    private final ObjectNode protectedSettings = JSON.createObjectNode();
    private final ObjectNode protectedObject = JSON.createObjectNode();
    private String publicObjectStrOverride;
    private boolean withProtectedSettings = true;

    private SettingsBuilder() {
        publicSettings.put("commandToExecute", "snapshot");
        publicSettings.put("taskId", UUID.randomUUID().toString());
        publicSettings.put("locale", "en-us");
        commandStartTime(Instant.now());
        publicSettings.put("vmType", "microsoft.compute/virtualmachines");
        publicSettings.put("statusBlobUri", "");
        publicSettings.put("logsBlobUri", "");
        ArrayNode metadata = publicObject.putArray("backupMetadata");
        metadata.addObject().put("Key", "MachineName").put("Value", "e2e-vm");
        publicObject.put("snapshotTaskToken", UUID.randomUUID().toString());
        ObjectNode disks = publicObject.putObject("includedDisks");
        disks.putArray("dataDiskLunList");
        disks.put("isOSDiskIncluded", true);
        publicObject.putArray("dynamicConfigsFromCRP");
        protectedObject.putArray("blobSASUri");
    }

    /** A valid snapshot request with a fresh task id, no disks, started now. */
    public static SettingsBuilder snapshot() {
        return new SettingsBuilder();
    }

    public SettingsBuilder taskId(String taskId) {
        publicSettings.put("taskId", taskId);
        return this;
    }

    public SettingsBuilder locale(String locale) {
        publicSettings.put("locale", locale);
        return this;
    }

    public SettingsBuilder commandToExecute(String command) {
        publicSettings.put("commandToExecute", command);
        return this;
    }

    public SettingsBuilder commandStartTime(Instant start) {
        long ticks = TICKS_AT_EPOCH + start.getEpochSecond() * 10_000_000L + start.getNano() / 100;
        publicSettings.put("commandStartTimeUTCTicks", Long.toString(ticks));
        return this;
    }

    public SettingsBuilder vmType(String vmType) {
        publicSettings.put("vmType", vmType);
        return this;
    }

    public SettingsBuilder statusBlobUri(String uri) {
        publicSettings.put("statusBlobUri", uri);
        return this;
    }

    public SettingsBuilder logsBlobUri(String uri) {
        publicSettings.put("logsBlobUri", uri);
        return this;
    }

    /** The per-disk SAS URIs (protected {@code objectStr.blobSASUri}). */
    public SettingsBuilder blobSasUris(List<String> uris) {
        ArrayNode list = protectedObject.putArray("blobSASUri");
        uris.forEach(list::add);
        return this;
    }

    public SettingsBuilder includedDisks(List<Integer> dataDiskLuns, boolean osDiskIncluded) {
        ObjectNode disks = publicObject.putObject("includedDisks");
        ArrayNode luns = disks.putArray("dataDiskLunList");
        dataDiskLuns.forEach(luns::add);
        disks.put("isOSDiskIncluded", osDiskIncluded);
        return this;
    }

    /** {@code customSettings} is a JSON text inside the settings, not an object. */
    public SettingsBuilder customSettings(JsonNode custom) {
        publicSettings.put("customSettings", custom.toString());
        return this;
    }

    /** Sets any public field (also to break one: a number where text is expected, ...). */
    public SettingsBuilder publicField(String name, JsonNode value) {
        publicSettings.set(name, value);
        return this;
    }

    public SettingsBuilder removePublic(String name) {
        publicSettings.remove(name);
        return this;
    }

    /** Sets any field of the public {@code objectStr} JSON (backupMetadata, includedDisks, ...), also to break one. */
    public SettingsBuilder publicObjectField(String name, JsonNode value) {
        publicObject.set(name, value);
        return this;
    }

    /** Replaces the public {@code objectStr} text verbatim: not base64, base64 of no JSON, ... */
    public SettingsBuilder publicObjectStrRaw(String text) {
        publicObjectStrOverride = text;
        return this;
    }

    public SettingsBuilder protectedField(String name, JsonNode value) {
        protectedSettings.set(name, value);
        return this;
    }

    public SettingsBuilder withoutProtectedSettings() {
        withProtectedSettings = false;
        return this;
    }

    public Settings build() {
        ObjectNode publicCopy = publicSettings.deepCopy();
        if (publicObjectStrOverride != null) {
            publicCopy.put("objectStr", publicObjectStrOverride);
        } else if (!publicCopy.has("objectStr")) {
            publicCopy.put("objectStr", base64Json(publicObject));
        }
        ObjectNode protectedCopy = null;
        if (withProtectedSettings) {
            protectedCopy = protectedSettings.deepCopy();
            protectedCopy.put("objectStr", base64Json(protectedObject));
        }
        return new Settings(publicCopy, protectedCopy, Optional.empty(), Optional.empty());
    }

    /** Settings whose public {@code objectStr} is removed (a known upstream crash). */
    public Settings buildWithoutPublicObjectStr() {
        Settings settings = build();
        settings.publicSettings().remove("objectStr");
        return settings;
    }

    static String base64Json(JsonNode node) {
        try {
            return Base64.getEncoder().encodeToString(JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

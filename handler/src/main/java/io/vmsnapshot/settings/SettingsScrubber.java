package io.vmsnapshot.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmsnapshot.agent.AtomicFiles;
import io.vmsnapshot.json.JsonText;
import io.vmsnapshot.json.MalformedJsonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the encrypted protected settings from a settings file once they have been used, as
 * upstream does, so the SAS URIs do not stay decryptable on disk for as long as the file lives.
 */
public final class SettingsScrubber {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsScrubber.class);
    private static final String[] PROTECTED_FIELDS = {"protectedSettings", "protectedSettingsCertThumbprint"};

    /**
     * As {@link #stripProtectedSettings}, for a command whose outcome is already decided: a file
     * that cannot be stripped is logged, never a reason to fail the command.
     */
    public void stripProtectedSettingsOrWarn(Path settingsFile) {
        try {
            stripProtectedSettings(settingsFile);
        } catch (IOException e) {
            LOG.warn("settings-scrub-failed file={} error={}", settingsFile, e.toString());
        }
    }

    /**
     * Rewrites the file without them, keeping its mtime (the newest settings file is found by
     * mtime). A missing or empty file, or one without them, is left untouched.
     *
     * @throws IOException when the file is not JSON (nothing can be stripped from it) or cannot be rewritten
     */
    public void stripProtectedSettings(Path settingsFile) throws IOException {
        byte[] content;
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(settingsFile);
            content = Files.readAllBytes(settingsFile);
        } catch (NoSuchFileException e) {
            return;
        }
        if (new String(content, StandardCharsets.UTF_8).isBlank()) {
            return;
        }
        JsonNode root;
        try {
            root = JsonText.parse(content);
        } catch (MalformedJsonException e) {
            throw new IOException("settings file " + settingsFile
                    + " is not valid JSON, so its protected settings cannot be stripped");
        }
        boolean changed = false;
        for (JsonNode entry : root.path("runtimeSettings")) {
            if (entry.path("handlerSettings") instanceof ObjectNode handlerSettings) {
                for (String field : PROTECTED_FIELDS) {
                    changed |= handlerSettings.remove(field) != null;
                }
            }
        }
        if (changed) {
            AtomicFiles.write(settingsFile, JsonText.write(root), modified);
        }
    }
}

package io.vmsnapshot.snapshot;

import java.util.Objects;

/**
 * One {@code backupMetadata} entry from the settings ({@code {"Key","Value"}}). The guest path
 * sends it as {@code x-ms-meta-<key>: <value>} on the snapshot; the host path passes it in
 * {@code snapshotMetadata}. Both are needed by the service to find its snapshots again.
 */
public record MetadataEntry(String key, String value) {
    public MetadataEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (key.isBlank()) {
            throw new IllegalArgumentException("backupMetadata key must not be blank");
        }
    }
}

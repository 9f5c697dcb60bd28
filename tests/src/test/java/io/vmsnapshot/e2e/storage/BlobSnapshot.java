package io.vmsnapshot.e2e.storage;

import java.util.Map;

/** One snapshot of a blob as Azurite lists it: its timestamp and the metadata it carries. */
public record BlobSnapshot(String snapshot, Map<String, String> metadata) {
    public BlobSnapshot {
        metadata = Map.copyOf(metadata);
    }
}

package io.vmsnapshot.e2e.storage;

import java.util.Map;

/** One snapshot of a blob as Azurite lists it: its timestamp and the metadata it carries. */
record BlobSnapshot(String snapshot, Map<String, String> metadata) {
    BlobSnapshot {
        metadata = Map.copyOf(metadata);
    }
}

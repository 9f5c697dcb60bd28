package io.vmsnapshot.settings;

import java.util.Objects;

/** One {@code {"Key","Value"}} pair of {@code backupMetadata} or {@code dynamicConfigsFromCRP}. */
public record KeyValue(String key, String value) {
    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}

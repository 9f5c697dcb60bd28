package io.vmsnapshot.settings;

import io.vmsnapshot.error.HandlerException;
import java.util.List;
import java.util.Objects;

/** The decoded public {@code objectStr}: what to snapshot and how to label it. */
public record PublicObject(
        List<KeyValue> backupMetadata,
        String snapshotTaskToken,
        IncludedDisks includedDisks,
        List<KeyValue> dynamicConfigsFromCRP) {

    public static final PublicObject EMPTY = new PublicObject(List.of(), "", IncludedDisks.NONE, List.of());

    public PublicObject {
        backupMetadata = List.copyOf(Objects.requireNonNull(backupMetadata, "backupMetadata"));
        Objects.requireNonNull(snapshotTaskToken, "snapshotTaskToken");
        Objects.requireNonNull(includedDisks, "includedDisks");
        dynamicConfigsFromCRP = List.copyOf(Objects.requireNonNull(dynamicConfigsFromCRP, "dynamicConfigsFromCRP"));
    }

    static PublicObject decode(SettingsNode publicSettings) throws HandlerException {
        SettingsNode node = ObjectStr.decode(publicSettings, "objectStr");
        return new PublicObject(
                node.keyValues("backupMetadata"),
                node.string("snapshotTaskToken"),
                node.object("includedDisks").isPresent() ? IncludedDisks.from(node.object("includedDisks").get())
                        : IncludedDisks.NONE,
                node.keyValues("dynamicConfigsFromCRP"));
    }

    @Override
    public String toString() {
        return "PublicObject[backupMetadata=" + backupMetadata.stream().map(KeyValue::key).toList()
                + ", snapshotTaskToken=" + Redaction.secret(snapshotTaskToken)
                + ", includedDisks=" + includedDisks
                + ", dynamicConfigsFromCRP=" + dynamicConfigsFromCRP + "]";
    }
}

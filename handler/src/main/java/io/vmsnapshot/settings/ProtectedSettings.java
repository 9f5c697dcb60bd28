package io.vmsnapshot.settings;

import io.vmsnapshot.error.HandlerException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The decrypted protected settings: the per-disk SAS URIs (from the protected {@code objectStr})
 * and fallbacks for public fields. Every value may be a secret, so {@link #toString} shows none.
 */
public record ProtectedSettings(
        List<String> blobSASUri,
        String logsBlobUri,
        String statusBlobUri,
        String snapshotTaskToken,
        Optional<String> customSettings) {

    /** No protected settings in the file. */
    public static final ProtectedSettings EMPTY = new ProtectedSettings(List.of(), "", "", "", Optional.empty());

    public ProtectedSettings {
        blobSASUri = List.copyOf(Objects.requireNonNull(blobSASUri, "blobSASUri"));
        Objects.requireNonNull(logsBlobUri, "logsBlobUri");
        Objects.requireNonNull(statusBlobUri, "statusBlobUri");
        Objects.requireNonNull(snapshotTaskToken, "snapshotTaskToken");
        Objects.requireNonNull(customSettings, "customSettings");
    }

    /**
     * Whether the file had no {@code protectedSettings}: the reader returns {@link #EMPTY} itself then. Identity,
     * not {@code equals}: a record's generated equals bootstraps method handles at its first call,
     * some 10 ms of every enable.
     */
    public boolean isEmpty() {
        return this == EMPTY;
    }

    /** The protected {@code objectStr} is optional: host snapshots need no blob SAS URIs. */
    static ProtectedSettings from(SettingsNode node) throws HandlerException {
        List<String> blobs = node.has("objectStr")
                ? ObjectStr.decode(node, "objectStr").stringList("blobSASUri")
                : List.of();
        return new ProtectedSettings(
                blobs,
                node.string("logsBlobUri"),
                node.string("statusBlobUri"),
                node.string("snapshotTaskToken"),
                node.jsonText("customSettings"));
    }

    @Override
    public String toString() {
        return "ProtectedSettings[blobSASUri=" + blobSASUri.size() + " blobs"
                + ", logsBlobUri=" + Redaction.secret(logsBlobUri)
                + ", statusBlobUri=" + Redaction.secret(statusBlobUri)
                + ", snapshotTaskToken=" + Redaction.secret(snapshotTaskToken)
                + ", customSettings=" + (customSettings.isPresent() ? "<present>" : "<absent>") + "]";
    }
}

package io.vmsnapshot.settings;

import io.vmsnapshot.error.HandlerException;
import java.util.Objects;
import java.util.Optional;

/**
 * The public settings of a backup request (docs/backup-flow.md §1.3). Absent string fields are "".
 * {@code statusBlobUri} and {@code logsBlobUri} are SAS URIs: {@link #toString} hides their query.
 */
public record PublicSettings(
        String commandToExecute,
        String taskId,
        String locale,
        String logsBlobUri,
        String statusBlobUri,
        Optional<Long> commandStartTimeUTCTicks,
        String vmType,
        Optional<String> customSettings,
        PublicObject objectStr) {

    /** {@code publicSettings} was null or absent. */
    public static final PublicSettings EMPTY =
            new PublicSettings("", "", "", "", "", Optional.empty(), "", Optional.empty(), PublicObject.EMPTY);

    public PublicSettings {
        Objects.requireNonNull(commandToExecute, "commandToExecute");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(logsBlobUri, "logsBlobUri");
        Objects.requireNonNull(statusBlobUri, "statusBlobUri");
        Objects.requireNonNull(commandStartTimeUTCTicks, "commandStartTimeUTCTicks");
        Objects.requireNonNull(vmType, "vmType");
        Objects.requireNonNull(customSettings, "customSettings");
        Objects.requireNonNull(objectStr, "objectStr");
    }

    /**
     * Whether the file had no {@code publicSettings}: the reader returns {@link #EMPTY} itself then. Identity,
     * not {@code equals}: a record's generated equals bootstraps method handles at its first call,
     * some 10 ms of every enable.
     */
    public boolean isEmpty() {
        return this == EMPTY;
    }

    /** Upstream dies on a missing {@code objectStr}; here it is {@code SETTINGS_INVALID} naming the field. */
    static PublicSettings from(SettingsNode node) throws HandlerException {
        return new PublicSettings(
                node.string("commandToExecute"),
                node.string("taskId"),
                node.string("locale"),
                node.string("logsBlobUri"),
                node.string("statusBlobUri"),
                node.optionalLong("commandStartTimeUTCTicks"),
                node.string("vmType"),
                node.jsonText("customSettings"),
                PublicObject.decode(node));
    }

    @Override
    public String toString() {
        return "PublicSettings[commandToExecute=" + commandToExecute
                + ", taskId=" + taskId
                + ", locale=" + locale
                + ", logsBlobUri=" + Redaction.uri(logsBlobUri)
                + ", statusBlobUri=" + Redaction.uri(statusBlobUri)
                + ", commandStartTimeUTCTicks=" + commandStartTimeUTCTicks.map(String::valueOf).orElse("<absent>")
                + ", vmType=" + vmType
                + ", customSettings=" + (customSettings.isPresent() ? "<present>" : "<absent>")
                + ", objectStr=" + objectStr + "]";
    }
}

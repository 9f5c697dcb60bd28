package io.vmsnapshot.settings;

import io.vmsnapshot.error.HandlerException;
import java.util.List;
import java.util.Objects;

/**
 * The {@code customSettings} JSON string (docs/backup-flow.md §1.3): snapshot mode and what decides
 * whether a crash-consistent snapshot is allowed when the freeze fails.
 */
public record CustomSettings(
        String takeSnapshotFrom,
        boolean isManagedVm,
        boolean canTakeCrashConsistentSnapshot,
        int backupRetryCount,
        String backupTaskId,
        List<Integer> waDiskLunList) {

    public CustomSettings {
        Objects.requireNonNull(takeSnapshotFrom, "takeSnapshotFrom");
        Objects.requireNonNull(backupTaskId, "backupTaskId");
        waDiskLunList = List.copyOf(Objects.requireNonNull(waDiskLunList, "waDiskLunList"));
    }

    /** @throws HandlerException SETTINGS_INVALID when the text is not a JSON object of the expected fields */
    public static CustomSettings parse(String json) throws HandlerException {
        return parse(json, "backup request settings");
    }

    /** @param source where the text came from, for the message, e.g. {@code settings file /x/0.settings} */
    static CustomSettings parse(String json, String source) throws HandlerException {
        SettingsNode node = SettingsNode.parse(json, "customSettings", source);
        return new CustomSettings(
                node.string("takeSnapshotFrom"),
                node.bool("isManagedVm"),
                node.bool("canTakeCrashConsistentSnapshot"),
                node.optionalInt("backupRetryCount").orElse(0),
                node.string("backupTaskId"),
                node.intList("waDiskLunList"));
    }
}

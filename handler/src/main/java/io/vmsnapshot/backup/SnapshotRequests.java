package io.vmsnapshot.backup;

import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.settings.CustomSettings;
import io.vmsnapshot.settings.HandlerSettings;
import io.vmsnapshot.settings.IncludedDisks;
import io.vmsnapshot.settings.KeyValue;
import io.vmsnapshot.snapshot.MetadataEntry;
import io.vmsnapshot.snapshot.SnapshotMode;
import io.vmsnapshot.snapshot.SnapshotModeInputs;
import io.vmsnapshot.snapshot.SnapshotRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Maps the service's settings onto what the snapshot step needs (docs/backup-flow.md §1.3, §2.1). */
final class SnapshotRequests {
    /** The dynamic flags upstream knows; anything else from CRP is logged and ignored. */
    private static final List<String> WELL_KNOWN_FLAGS = List.of("isSnapshotTtlEnabled",
            "useMccfToFetchDsasForAllDisks", "useMccfForLad", "EnableVMSnapshotExtensionPolling");

    private SnapshotRequests() {
    }

    static SnapshotRequest from(HandlerSettings settings, Optional<String> configSnapshotMethod)
            throws HandlerException {
        IncludedDisks disks = settings.publicSettings().objectStr().includedDisks();
        Optional<CustomSettings> custom = settings.customSettings();
        List<Integer> luns = disks.includeLunList();
        SnapshotMode mode = SnapshotMode.select(new SnapshotModeInputs(configSnapshotMethod,
                custom.map(CustomSettings::takeSnapshotFrom).filter(s -> !s.isBlank()),
                custom.map(CustomSettings::waDiskLunList).orElse(List.of()), luns, disks.isAnyWADiskIncluded(),
                disks.isVmgsBlobIncluded(), disks.isAnyDirectDriveDiskIncluded(), disks.isAnyDiskExcluded()));
        String taskId = custom.map(CustomSettings::backupTaskId).filter(s -> !s.isBlank())
                .orElse(settings.publicSettings().taskId());
        List<MetadataEntry> metadata = settings.publicSettings().objectStr().backupMetadata().stream()
                .map(kv -> new MetadataEntry(kv.key(), kv.value())).toList();
        return new SnapshotRequest(taskId, settings.snapshotTaskToken(), settings.blobSasUris(), metadata, luns,
                wellKnownFlags(settings.publicSettings().objectStr().dynamicConfigsFromCRP(), disks), mode,
                disks.isVMADEEnabled(), disks.instantAccessDurationMinutes().orElse(null));
    }

    /** The seed's exception: a VM whose snapshot request holds only the OS disk always falls back. */
    static boolean singleDisk(HandlerSettings settings) {
        List<Integer> luns = settings.publicSettings().objectStr().includedDisks().includeLunList();
        return luns.isEmpty() ? settings.blobSasUris().size() == 1 : luns.equals(List.of(-1));
    }

    private static Map<String, Boolean> wellKnownFlags(List<KeyValue> dynamic, IncludedDisks disks) {
        Map<String, Boolean> flags = new LinkedHashMap<>();
        WELL_KNOWN_FLAGS.forEach(flag -> flags.put(flag, false));
        for (KeyValue entry : dynamic) {
            WELL_KNOWN_FLAGS.stream().filter(flag -> flag.equalsIgnoreCase(entry.key())).findFirst()
                    .ifPresent(flag -> flags.put(flag, entry.value() != null
                            && entry.value().trim().toLowerCase(Locale.ROOT).equals("true")));
        }
        flags.put("isVmmdBlobIncluded", disks.isVmmdBlobIncluded());
        return flags;
    }
}

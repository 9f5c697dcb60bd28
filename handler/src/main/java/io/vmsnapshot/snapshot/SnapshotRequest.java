package io.vmsnapshot.snapshot;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Everything the snapshot step needs, mapped by the lead from the settings.
 *
 * @param taskId                      the host calls' task id (customSettings {@code backupTaskId} if present, else {@code taskId})
 * @param snapshotTaskToken           passed to the host as is; empty if the settings had none
 * @param blobSasUris                 the disks' blob SAS URIs, in the order of {@code blobSASUri}; the reported snapshots keep this order
 * @param backupMetadata              sent with every snapshot
 * @param includeLunList              the host's {@code diskIds} (-1 = OS disk)
 * @param wellKnownFlags              {@code wellKnownSettingFlags}, sent to the host as {@code settings}
 * @param mode                        who takes the snapshots ({@link SnapshotMode#select})
 * @param isVMADEEnabled              the VM uses Azure Disk Encryption: its encryption settings must follow the snapshots
 * @param instantAccessDurationMinutes passed to the host if not null
 */
public record SnapshotRequest(
        String taskId,
        String snapshotTaskToken,
        List<String> blobSasUris,
        List<MetadataEntry> backupMetadata,
        List<Integer> includeLunList,
        Map<String, Boolean> wellKnownFlags,
        SnapshotMode mode,
        boolean isVMADEEnabled,
        Integer instantAccessDurationMinutes) {

    public SnapshotRequest {
        Objects.requireNonNull(taskId, "taskId");
        snapshotTaskToken = snapshotTaskToken == null ? "" : snapshotTaskToken;
        blobSasUris = List.copyOf(blobSasUris);
        backupMetadata = List.copyOf(backupMetadata);
        includeLunList = List.copyOf(includeLunList);
        wellKnownFlags = Map.copyOf(wellKnownFlags);
        Objects.requireNonNull(mode, "mode");
        if (instantAccessDurationMinutes != null && instantAccessDurationMinutes < 0) {
            throw new IllegalArgumentException("instantAccessDurationMinutes must not be negative: " + instantAccessDurationMinutes);
        }
    }

    /** Without the SAS tokens and the task token: this may end up in a log. */
    @Override
    public String toString() {
        return "SnapshotRequest[taskId=" + taskId
                + ", snapshotTaskToken=" + (snapshotTaskToken.isEmpty() ? "" : "REDACTED")
                + ", blobs=" + blobSasUris.stream().map(BlobUris::withoutQuery).collect(Collectors.toList())
                + ", backupMetadata=" + backupMetadata
                + ", includeLunList=" + includeLunList
                + ", wellKnownFlags=" + wellKnownFlags
                + ", mode=" + mode.wireName()
                + ", isVMADEEnabled=" + isVMADEEnabled
                + ", instantAccessDurationMinutes=" + instantAccessDurationMinutes + "]";
    }
}

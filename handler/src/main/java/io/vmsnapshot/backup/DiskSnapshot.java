package io.vmsnapshot.backup;

/**
 * One disk's entry of {@code snapshotInfo} in the blob document (upstream's SnapshotInfoObj).
 * URIs here never carry a SAS query.
 */
public record DiskSnapshot(boolean isSuccessful, String snapshotUri, String errorMessage, String blobUri,
                           DirectDriveSnapshot directDrive) {
    /** Host snapshots of DirectDrive disks identify themselves this way instead of by URI. */
    public record DirectDriveSnapshot(long creationTimeEpochMillis, String id, String token,
                                      Integer instantAccessDurationMinutes) {
    }
}

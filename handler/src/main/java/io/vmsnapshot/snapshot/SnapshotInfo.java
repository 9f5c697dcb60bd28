package io.vmsnapshot.snapshot;

import java.util.Objects;

/**
 * One disk's snapshot as the status document reports it ({@code snapshotInfo[i]}).
 *
 * @param isSuccessful  the snapshot exists
 * @param snapshotUri   {@code <blob URL>?snapshot=<timestamp>}; null on failure and for DirectDrive disks
 * @param errorMessage  storage's or the host's error text on failure (SAS scrubbed), else null
 * @param blobUri       the blob URL without query (DirectDrive: the disk URL up to {@code /snapshots})
 * @param directDriveSnapshotIdentifier the host's identifier of a DirectDrive snapshot, else null
 * @param statusCode    HTTP status of the last attempt; 500 when no response came (as upstream)
 */
public record SnapshotInfo(
        boolean isSuccessful,
        String snapshotUri,
        String errorMessage,
        String blobUri,
        DirectDriveSnapshotIdentifier directDriveSnapshotIdentifier,
        int statusCode) {

    public SnapshotInfo {
        if (isSuccessful && snapshotUri == null && directDriveSnapshotIdentifier == null) {
            throw new IllegalArgumentException("a successful snapshot needs a snapshotUri or a DirectDrive identifier");
        }
        if (!isSuccessful) {
            Objects.requireNonNull(errorMessage, "errorMessage of a failed snapshot");
        }
    }

    static SnapshotInfo succeeded(String snapshotUri, int statusCode) {
        return new SnapshotInfo(true, snapshotUri, null, BlobUris.withoutQuery(snapshotUri), null, statusCode);
    }

    static SnapshotInfo failed(String blobUri, String errorMessage, int statusCode) {
        return new SnapshotInfo(false, null, errorMessage, blobUri, null, statusCode);
    }
}

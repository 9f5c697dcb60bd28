package io.vmsnapshot.snapshot;

/** One disk's report entry on the guest path and, if it failed, the sentence for the outcome's detail. */
record DiskResult(SnapshotInfo info, String failure) {
    static DiskResult failed(int index, String sasUri, String why, String errorMessage, int statusCode) {
        return new DiskResult(SnapshotInfo.failed(BlobUris.withoutQuery(sasUri), errorMessage, statusCode),
                BlobUris.describeDisk(index, sasUri) + ": " + why);
    }
}

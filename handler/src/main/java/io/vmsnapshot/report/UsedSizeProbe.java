package io.vmsnapshot.report;

import io.vmsnapshot.backup.BackupRequest;
import io.vmsnapshot.freeze.UsedSize;

/** The used size of what the request backs up, for the final status ({@code UsedSpace} in production). */
@FunctionalInterface
public interface UsedSizeProbe {
    /** Says nothing was measured, as every status did before sizes were computed. */
    UsedSizeProbe UNKNOWN = request -> UsedSize.UNKNOWN;

    UsedSize measure(BackupRequest request);
}

package io.vmsnapshot.snapshot;

import java.time.Instant;

/**
 * The snapshot step as the backup sees it: one call between freeze and thaw. {@link Snapshotter}
 * is the production implementation; the seam lets the orchestration be tested without HTTP.
 */
@FunctionalInterface
public interface SnapshotTaker {
    /** @param deadline the end of the freeze budget: no call starts, no retry waits past it */
    SnapshotOutcome snapshot(SnapshotRequest request, Instant deadline);
}

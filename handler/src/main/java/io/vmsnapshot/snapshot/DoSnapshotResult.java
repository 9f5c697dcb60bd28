package io.vmsnapshot.snapshot;

import java.util.List;

/**
 * The host's answer to DoSnapshot.
 *
 * @param statusCode HTTP status or a pseudo code as in {@link PreSnapshotResult#statusCode()}
 * @param snapshots  the host's per-disk results, in its order; empty unless the call succeeded
 * @param problem    when no answer came: why, naming the address tried; empty otherwise
 */
public record DoSnapshotResult(int statusCode, List<SnapshotInfo> snapshots, String problem) {
    public DoSnapshotResult {
        snapshots = List.copyOf(snapshots);
        problem = problem == null ? "" : problem;
    }

    public DoSnapshotResult(int statusCode, List<SnapshotInfo> snapshots) {
        this(statusCode, snapshots, "");
    }
}

package io.vmsnapshot.snapshot;

import java.time.Instant;
import java.util.Objects;

/**
 * The host's handle on a DirectDrive (Ultra / Premium v2) disk snapshot, which has no blob URI.
 * The status document reports {@code creationTime} as {@code \/Date(epoch ms)\/}.
 */
public record DirectDriveSnapshotIdentifier(Instant creationTime, String id, String token, Integer instantAccessDurationMinutes) {
    public DirectDriveSnapshotIdentifier {
        Objects.requireNonNull(creationTime, "creationTime");
    }

    /** The token is a credential for the snapshot: never printed. */
    @Override
    public String toString() {
        return "DirectDriveSnapshotIdentifier[creationTime=" + creationTime + ", id=" + id
                + ", token=" + (token == null ? null : "REDACTED")
                + ", instantAccessDurationMinutes=" + instantAccessDurationMinutes + "]";
    }
}

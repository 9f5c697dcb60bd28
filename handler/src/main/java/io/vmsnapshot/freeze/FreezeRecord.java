package io.vmsnapshot.freeze;

import java.util.List;
import java.util.Objects;

/**
 * What a freeze in progress leaves on tmpfs, so that the next handler start can thaw mounts that a
 * SIGKILLed helper left frozen.
 *
 * @param helperPid        the helper holding the freeze
 * @param helperStartTicks its start time ({@code /proc/<pid>/stat}), 0 if unknown: with the pid it
 *                         tells the helper from a later process that got the same pid
 * @param createdAt        ISO-8601, for people reading the file
 * @param mountPoints      in freeze order
 */
public record FreezeRecord(long helperPid, long helperStartTicks, String createdAt, List<String> mountPoints) {
    public FreezeRecord {
        Objects.requireNonNull(createdAt, "createdAt");
        mountPoints = List.copyOf(mountPoints);
        if (helperPid <= 0) {
            throw new IllegalArgumentException("helperPid must be positive: " + helperPid);
        }
    }
}

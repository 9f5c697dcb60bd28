package io.vmsnapshot.freeze;

import java.util.Objects;

/**
 * A mount that a backup does not freeze, and why.
 *
 * @param detail what the reason names: the file system type, or the mount point frozen instead; else empty
 */
public record SkippedMount(Mount mount, Reason reason, String detail) {
    /** Why; {@code check} says it in the operator's language ({@code check.skipped.<name>}). */
    public enum Reason {
        MOUNTED_OVER, NOT_LISTED, FILE_SYSTEM_TYPE, LOOP_DEVICE, MOUNTS_TO_SKIP, TEMPORARY_DISK, SAME_FILE_SYSTEM
    }

    public SkippedMount {
        Objects.requireNonNull(mount, "mount");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}

package io.vmsnapshot.freeze;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The customer's vmbackup.conf {@code [SnapshotThread]}, parsed once per backup.
 *
 * @param mountsToSkip   {@code MountsToSkip}: mount points never frozen
 * @param snapshotMethod {@code SnapshotMethod}, as written
 * @param freezeTimeout  {@code timeout}: the helper's auto-thaw; empty when absent or not a number
 * @param safeFreezeWait {@code SafeFreezeWaitInSeconds}: how long opening and freezing the mounts may
 *                       take; empty when absent, 0 or not a number
 * @param uploadStatusAndLog {@code UploadStatusAndLog}: false only when the customer turned the status
 *                       and logs blobs off
 * @param warnings       why the file, or a value in it, was ignored or changed: for the backup's status
 * @param notes          keys upstream knew that this extension does not honour, and why: for {@code check}
 */
public record VmBackupSettings(Set<Path> mountsToSkip, Optional<String> snapshotMethod,
                               Optional<Duration> freezeTimeout, Optional<Duration> safeFreezeWait,
                               boolean uploadStatusAndLog, List<String> warnings, List<String> notes) {
    public VmBackupSettings {
        mountsToSkip = Set.copyOf(mountsToSkip);
        Objects.requireNonNull(snapshotMethod, "snapshotMethod");
        Objects.requireNonNull(freezeTimeout, "freezeTimeout");
        Objects.requireNonNull(safeFreezeWait, "safeFreezeWait");
        warnings = List.copyOf(warnings);
        notes = List.copyOf(notes);
    }

    /** Every key at its default: no file. */
    public static VmBackupSettings defaults() {
        return new VmBackupSettings(Set.of(), Optional.empty(), Optional.empty(), Optional.empty(), true, List.of(),
                List.of());
    }
}

package io.vmsnapshot.freeze;

import java.nio.file.Path;
import java.time.Duration;
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
 */
public record VmBackupSettings(Set<Path> mountsToSkip, Optional<String> snapshotMethod,
                               Optional<Duration> freezeTimeout, Optional<Duration> safeFreezeWait) {
    public VmBackupSettings {
        mountsToSkip = Set.copyOf(mountsToSkip);
        Objects.requireNonNull(snapshotMethod, "snapshotMethod");
        Objects.requireNonNull(freezeTimeout, "freezeTimeout");
        Objects.requireNonNull(safeFreezeWait, "safeFreezeWait");
    }
}

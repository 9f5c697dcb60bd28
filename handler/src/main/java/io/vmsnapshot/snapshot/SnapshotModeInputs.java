package io.vmsnapshot.snapshot;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the snapshot mode is chosen from. The lead maps the settings onto this:
 * {@code configSnapshotMethod} = vmbackup.conf {@code [SnapshotThread] SnapshotMethod};
 * {@code takeSnapshotFrom}, {@code waDiskLunList} from {@code customSettings};
 * the LUN list and flags from {@code includedDisks}.
 */
public record SnapshotModeInputs(
        Optional<String> configSnapshotMethod,
        Optional<String> takeSnapshotFrom,
        List<Integer> waDiskLunList,
        List<Integer> includeLunList,
        boolean anyWaDiskIncluded,
        boolean vmgsBlobIncluded,
        boolean anyDirectDriveDiskIncluded,
        boolean anyDiskExcluded) {

    public SnapshotModeInputs {
        Objects.requireNonNull(configSnapshotMethod, "configSnapshotMethod");
        Objects.requireNonNull(takeSnapshotFrom, "takeSnapshotFrom");
        waDiskLunList = List.copyOf(waDiskLunList);
        includeLunList = List.copyOf(includeLunList);
    }

    /** Nothing configured, no flags: selects the default mode. */
    public static SnapshotModeInputs none() {
        return new SnapshotModeInputs(Optional.empty(), Optional.empty(), List.of(), List.of(), false, false, false, false);
    }
}

package io.vmsnapshot.settings;

import io.vmsnapshot.error.HandlerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Which disks the backup covers ({@code objectStr.includedDisks}, docs/backup-flow.md §1.3). */
public record IncludedDisks(
        List<Integer> dataDiskLunList,
        boolean isOSDiskIncluded,
        boolean isVmmdBlobIncluded,
        boolean isVMADEEnabled,
        Optional<Integer> instantAccessDurationMinutes,
        boolean isAnyDiskExcluded,
        boolean isAnyWADiskIncluded,
        boolean isVmgsBlobIncluded,
        boolean isAnyDirectDriveDiskIncluded) {

    /** No {@code includedDisks} in the settings. */
    public static final IncludedDisks NONE =
            new IncludedDisks(List.of(), false, false, false, Optional.empty(), false, false, false, false);

    /** The LUN the host snapshot service uses for the OS disk. */
    public static final int OS_DISK_LUN = -1;

    public IncludedDisks {
        dataDiskLunList = List.copyOf(Objects.requireNonNull(dataDiskLunList, "dataDiskLunList"));
        Objects.requireNonNull(instantAccessDurationMinutes, "instantAccessDurationMinutes");
    }

    /** The data disk LUNs, plus {@link #OS_DISK_LUN} when the OS disk is included, as upstream builds it. */
    public List<Integer> includeLunList() {
        List<Integer> luns = new ArrayList<>(dataDiskLunList);
        if (isOSDiskIncluded) {
            luns.add(OS_DISK_LUN);
        }
        return List.copyOf(luns);
    }

    static IncludedDisks from(SettingsNode node) throws HandlerException {
        Optional<Integer> instantAccess = node.optionalInt("instantAccessDurationMinutes");
        if (instantAccess.isPresent() && instantAccess.get() < 0) {
            // Found by fuzzing: accepted here, it failed the backup later with an IllegalArgumentException.
            throw node.invalid("instantAccessDurationMinutes", "must not be negative");
        }
        return new IncludedDisks(
                node.intList("dataDiskLunList"),
                node.bool("isOSDiskIncluded"),
                node.bool("isVmmdBlobIncluded"),
                node.bool("isVMADEEnabled"),
                instantAccess,
                node.bool("isAnyDiskExcluded"),
                node.bool("isAnyWADiskIncluded"),
                node.bool("isVmgsBlobIncluded"),
                node.bool("isAnyDirectDriveDiskIncluded"));
    }
}

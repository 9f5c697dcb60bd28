package io.vmsnapshot.freeze;

import java.util.List;
import java.util.Objects;

/**
 * Which disks a backup takes, as far as its used size is concerned (upstream's SizeCalculation.py).
 *
 * @param includeLunList  the LUNs of the disks taken, {@code -1} for the OS disk; empty = every disk
 * @param anyDiskExcluded the request leaves some disk out (selective disk backup)
 * @param onlyOsDisk      customSettings {@code isOnlyOSDiskBackupEnabled}: only {@code /} counts
 */
public record SizeScope(List<Integer> includeLunList, boolean anyDiskExcluded, boolean onlyOsDisk) {
    public static final int OS_DISK_LUN = -1;

    public SizeScope {
        includeLunList = List.copyOf(Objects.requireNonNull(includeLunList, "includeLunList"));
    }

    /** Every disk counts: no LUN list, or nothing excluded. */
    boolean everyDisk() {
        return includeLunList.isEmpty() || !anyDiskExcluded;
    }
}

package io.vmsnapshot.freeze;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which of the VM's disks a file system lives on, and what each disk is to Azure, read from sysfs
 * (upstream runs lsscsi, lsblk and pvs for this):
 * <ul>
 * <li>{@code /sys/dev/block/<major:minor>} leads to the file system's block device: a partition's
 *     disk is its parent, a device-mapper or md device's disks are those of its {@code slaves/}
 *     (LVM, RAID);</li>
 * <li>a SCSI disk hangs off a VMBus controller whose {@code device_id} says what it holds, as the
 *     agent's and azure-vm-utils' udev rules read it: {@code 00000000-0000-*} the OS disk (generation
 *     1), {@code 00000000-0001-*} the resource disk, controller {@code f8b3781a-...} LUN 0 the OS
 *     disk and LUN 1 the resource disk (generation 2), controllers {@code f8b3781b/c/d-...} the
 *     data disks by LUN;</li>
 * <li>an NVMe disk of model "MSFT NVMe Accelerator v1.0" is the OS disk as namespace 1 and data
 *     disk LUN {@code nsid - 2} otherwise.</li>
 * </ul>
 */
final class DiskRoles {
    /** What a disk is to Azure. */
    record Role(Kind kind, int lun) {
        static final Role OS = new Role(Kind.OS, SizeScope.OS_DISK_LUN);
        static final Role TEMPORARY = new Role(Kind.TEMPORARY, 0);
        static final Role UNKNOWN = new Role(Kind.UNKNOWN, 0);

        static Role data(int lun) {
            return new Role(Kind.DATA, lun);
        }
    }

    enum Kind {
        OS, DATA, TEMPORARY, UNKNOWN
    }

    private static final Set<String> DATA_CONTROLLERS = Set.of("f8b3781b-1e82-4818-a1c3-63d806ec15bb",
            "f8b3781c-1e82-4818-a1c3-63d806ec15bb", "f8b3781d-1e82-4818-a1c3-63d806ec15bb");
    private static final String NVME_REMOTE_MODEL = "MSFT NVMe Accelerator";
    private static final int MAX_SLAVE_DEPTH = 8;

    private final Path sysRoot;
    private final Set<String> temporaryDisks;

    /** @param temporaryDisks from {@link ResourceDiskLocator#devices()} */
    DiskRoles(Path sysRoot, Set<String> temporaryDisks) {
        this.sysRoot = Objects.requireNonNull(sysRoot, "sysRoot");
        this.temporaryDisks = Set.copyOf(Objects.requireNonNull(temporaryDisks, "temporaryDisks"));
    }

    /** The whole disks under a file system's device, e.g. {@code sdc} for 8:33; empty when sysfs does not say. */
    Set<String> disksOf(String deviceNumber) {
        Set<String> disks = new HashSet<>();
        Path node = sysRoot.resolve("dev/block").resolve(deviceNumber);
        try {
            collect(node.toRealPath(), disks, 0);
        } catch (IOException e) {
            return Set.of();
        }
        return Set.copyOf(disks);
    }

    private void collect(Path device, Set<String> disks, int depth) throws IOException {
        Path slaves = device.resolve("slaves");
        if (depth < MAX_SLAVE_DEPTH && Files.isDirectory(slaves)) {
            boolean any = false;
            try (Stream<Path> list = Files.list(slaves)) {
                for (Path slave : list.toList()) {
                    collect(sysRoot.resolve("class/block").resolve(slave.getFileName().toString()).toRealPath(),
                            disks, depth + 1);
                    any = true;
                }
            }
            if (any) {
                return;
            }
        }
        Path disk = Files.exists(device.resolve("partition")) ? device.getParent() : device;
        disks.add(disk.getFileName().toString());
    }

    Role roleOf(String disk) {
        if (temporaryDisks.contains(disk)) {
            return Role.TEMPORARY;
        }
        Path device = sysRoot.resolve("class/block").resolve(disk);
        if (disk.startsWith("nvme")) {
            return nvmeRole(device);
        }
        try {
            Path real = device.toRealPath();
            // .../<vmbus device>/host0/target0:0:0/0:0:0:3/block/sdc
            Path address = real.getParent() == null ? null : real.getParent().getParent();
            Optional<String> controller = controllerId(real);
            if (address == null || controller.isEmpty()) {
                return Role.UNKNOWN;
            }
            String[] hctl = address.getFileName().toString().split(":");
            int lun = Integer.parseInt(hctl[hctl.length - 1]);
            String id = controller.get();
            if (id.startsWith("00000000-0000")) {
                return Role.OS;
            }
            if (id.startsWith(ResourceDiskLocator.GEN1_PREFIX)) {
                return Role.TEMPORARY;
            }
            if (id.equals(ResourceDiskLocator.GEN2_CONTROLLER)) {
                return lun == 0 ? Role.OS : lun == 1 ? Role.TEMPORARY : Role.UNKNOWN;
            }
            return DATA_CONTROLLERS.contains(id) ? Role.data(lun) : Role.UNKNOWN;
        } catch (IOException | NumberFormatException e) {
            return Role.UNKNOWN;
        }
    }

    private static Role nvmeRole(Path device) {
        if (!ResourceDiskLocator.modelOf(device).startsWith(NVME_REMOTE_MODEL)) {
            return Role.UNKNOWN;
        }
        try {
            int nsid = Integer.parseInt(Files.readString(device.resolve("nsid"), StandardCharsets.UTF_8).strip());
            return nsid == 1 ? Role.OS : Role.data(nsid - 2);
        } catch (IOException | NumberFormatException e) {
            return Role.UNKNOWN;
        }
    }

    /* The nearest ancestor that has a device_id is the VMBus device of the controller. */
    private static Optional<String> controllerId(Path device) {
        for (Path dir = device; dir != null; dir = dir.getParent()) {
            Path id = dir.resolve("device_id");
            if (Files.isRegularFile(id)) {
                try {
                    return Optional.of(ResourceDiskLocator.vmbusId(Files.readString(id, StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}

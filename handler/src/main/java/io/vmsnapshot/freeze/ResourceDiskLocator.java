package io.vmsnapshot.freeze;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the Azure temporary disks, whose contents are lost on redeploy, so they are never frozen nor
 * backed up:
 * <ul>
 * <li>the SCSI resource disk the way upstream finds it: the VMBus storage device whose id starts with
 *     {@code 00000000-0001} (generation 1 VMs), or the generation 2 SCSI controller's LUN 1;</li>
 * <li>on sizes whose temporary disk is NVMe (Ev6, Dv6, Lsv3 local disks...), every namespace whose
 *     controller's model is {@value #NVME_TEMPORARY_MODEL} or its "v2" (the models azure-vm-utils' udev
 *     rules call "local"; upstream knows no NVMe and would freeze such a disk like a data disk);</li>
 * <li>whatever {@code /dev/disk/azure/resource} points to, where the agent's or azure-vm-utils' udev
 *     rules made that link.</li>
 * </ul>
 */
public final class ResourceDiskLocator {
    static final String NVME_TEMPORARY_MODEL = "Microsoft NVMe Direct Disk";
    /** The VMBus id of a generation 1 VM's resource disk controller starts so. */
    static final String GEN1_PREFIX = "00000000-0001";
    /** A generation 2 VM's SCSI controller of the OS disk (LUN 0) and the resource disk (LUN 1). */
    static final String GEN2_CONTROLLER = "f8b3781a-1e82-4818-a1c3-63d806ec15bb";
    private static final int MAX_DEPTH = 12;

    private final Path vmbusDevices;
    private final Path blockDevices;
    private final Path resourceLink;

    /**
     * @param sysRoot normally {@code /sys}
     * @param devRoot normally {@code /dev}
     */
    public ResourceDiskLocator(Path sysRoot, Path devRoot) {
        this.vmbusDevices = Objects.requireNonNull(sysRoot, "sysRoot").resolve("bus/vmbus/devices");
        this.blockDevices = sysRoot.resolve("block");
        this.resourceLink = Objects.requireNonNull(devRoot, "devRoot").resolve("disk/azure/resource");
    }

    /** The kernel names of every temporary disk, e.g. {@code sdb} or {@code nvme0n1}; empty when none (not Azure). */
    public Set<String> devices() throws HandlerException {
        Set<String> disks = new TreeSet<>();
        scsiResourceDisk().ifPresent(disks::add);
        disks.addAll(nvmeTemporaryDisks());
        linkedResourceDisk().ifPresent(disks::add);
        return Set.copyOf(disks);
    }

    /*
     * /sys/block/nvme0n1/device is the controller; its model is padded with spaces. A namespace
     * without a readable model is not ours to judge: it stays a disk like any other.
     */
    private Set<String> nvmeTemporaryDisks() throws HandlerException {
        Set<String> disks = new TreeSet<>();
        if (!Files.isDirectory(blockDevices)) {
            return disks;
        }
        try (Stream<Path> devices = Files.list(blockDevices)) {
            for (Path device : devices.collect(Collectors.toList())) {
                String name = device.getFileName().toString();
                if (name.startsWith("nvme") && modelOf(device).startsWith(NVME_TEMPORARY_MODEL)) {
                    disks.add(name);
                }
            }
        } catch (IOException e) {
            throw new HandlerException(ErrorCode.FS_FREEZE_FAILED,
                    "cannot look for NVMe temporary disks under " + blockDevices + ": " + e.getMessage(), e);
        }
        return disks;
    }

    /** A block device's controller model, padded spaces stripped; empty when it has none to read. */
    static String modelOf(Path blockDevice) {
        try {
            return Files.readString(blockDevice.resolve("device/model"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /* "../../sdb" or "../../nvme0n1": the link's last name is the kernel's. */
    private Optional<String> linkedResourceDisk() {
        try {
            Path target = Files.readSymbolicLink(resourceLink);
            return Optional.ofNullable(target.getFileName()).map(Path::toString);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private Optional<String> scsiResourceDisk() throws HandlerException {
        if (!Files.isDirectory(vmbusDevices)) {
            return Optional.empty();
        }
        try (Stream<Path> devices = Files.list(vmbusDevices)) {
            for (Path device : devices.sorted().collect(Collectors.toList())) {
                String id = deviceId(device);
                boolean gen1 = id.startsWith(GEN1_PREFIX);
                boolean gen2 = id.equals(GEN2_CONTROLLER);
                if (gen1 || gen2) {
                    Optional<String> disk = blockDevice(device.toRealPath(), gen2);
                    if (disk.isPresent()) {
                        return disk;
                    }
                }
            }
        } catch (IOException e) {
            throw new HandlerException(ErrorCode.FS_FREEZE_FAILED,
                    "cannot look for the resource disk under " + vmbusDevices + ": " + e.getMessage(), e);
        }
        return Optional.empty();
    }

    private static String deviceId(Path device) throws IOException {
        try {
            return vmbusId(Files.readString(device.resolve("device_id"), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    /** A VMBus {@code device_id} as the udev rules compare it: without braces, in lower case. */
    static String vmbusId(String deviceId) {
        return deviceId.strip().replace("{", "").replace("}", "").toLowerCase(Locale.ROOT);
    }

    /*
     * .../<vmbus>/host3/target3:0:1/3:0:1:0/block/sdb: generation 1 has one disk per controller;
     * on generation 2 every disk hangs off one controller and the SCSI address ends with the LUN.
     */
    private static Optional<String> blockDevice(Path device, boolean lunOneOnly) throws IOException {
        List<Path> blockDirs;
        try (Stream<Path> tree = Files.walk(device, MAX_DEPTH)) {
            blockDirs = tree.filter(p -> p.getFileName() != null && p.getFileName().toString().equals("block"))
                    .filter(p -> !lunOneOnly || p.getParent().getFileName().toString().endsWith(":1"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        for (Path block : blockDirs) {
            try (Stream<Path> disks = Files.list(block)) {
                Optional<String> disk = disks.map(p -> p.getFileName().toString()).sorted().findFirst();
                if (disk.isPresent()) {
                    return disk;
                }
            }
        }
        return Optional.empty();
    }
}

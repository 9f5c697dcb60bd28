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
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the Azure resource (temporary) disk the way upstream does: the VMBus storage device whose
 * id starts with {@code 00000000-0001} (generation 1 VMs), or the generation 2 SCSI controller's
 * LUN 1. Its contents are lost on redeploy, so it is never frozen nor backed up.
 */
public final class ResourceDiskLocator {
    private static final String GEN1_PREFIX = "00000000-0001";
    private static final String GEN2_CONTROLLER = "f8b3781a-1e82-4818-a1c3-63d806ec15bb";
    private static final int MAX_DEPTH = 12;

    private final Path vmbusDevices;

    /** @param sysRoot normally {@code /sys} */
    public ResourceDiskLocator(Path sysRoot) {
        this.vmbusDevices = Objects.requireNonNull(sysRoot, "sysRoot").resolve("bus/vmbus/devices");
    }

    /** The kernel name of the resource disk, e.g. {@code sdb}; empty when there is none (not Azure). */
    public Optional<String> device() throws HandlerException {
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
            return Files.readString(device.resolve("device_id"), StandardCharsets.UTF_8)
                    .strip().replace("{", "").replace("}", "").toLowerCase(Locale.ROOT);
        } catch (NoSuchFileException e) {
            return "";
        }
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

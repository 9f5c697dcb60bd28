package io.vmsnapshot.freeze;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One line of the mount table.
 *
 * @param device       the mount source as the kernel shows it, e.g. {@code /dev/sda1}
 * @param mountPoint   where it is mounted
 * @param fsType       e.g. {@code ext4}
 * @param deviceNumber {@code major:minor} of the file system; mounts that share it share one
 *                     superblock (bind mounts, btrfs subvolumes) and can be frozen only once
 */
public record Mount(String device, Path mountPoint, String fsType, String deviceNumber) {
    private static final Pattern LOOP_DEVICE = Pattern.compile("/dev/loop\\d+(p\\d+)?");
    private static final String LOOP_MAJOR = "7";

    public Mount {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(mountPoint, "mountPoint");
        Objects.requireNonNull(fsType, "fsType");
        Objects.requireNonNull(deviceNumber, "deviceNumber");
        if (!mountPoint.isAbsolute()) {
            throw new IllegalArgumentException("mountPoint must be absolute: " + mountPoint);
        }
    }

    /** Backed by a loop device (upstream's lsblk TYPE=loop): an image file, not a disk of the VM. */
    public boolean isLoop() {
        return deviceNumber.startsWith(LOOP_MAJOR + ":") || LOOP_DEVICE.matcher(device).matches();
    }

    public boolean isRoot() {
        return mountPoint.getParent() == null;
    }
}

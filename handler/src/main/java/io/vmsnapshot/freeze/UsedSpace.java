package io.vmsnapshot.freeze;

import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The used space of the file systems a backup takes, for the status's {@code storageDetails}, by
 * upstream's rules (SizeCalculation.py, with its selective-disk billing) but from {@code statvfs}
 * of local file systems only, never {@code df}: a {@code df} or a {@code statvfs} of a dead NFS
 * server's mount hangs, so a network, FUSE or pseudo file system (device major 0, which NFS, CIFS,
 * FUSE, overlay, tmpfs and btrfs have), or any mount beneath one, is never asked.
 *
 * <ul>
 * <li>counted: local block file systems, each once (bind mounts share a device number), not on a
 *     loop device, a CD/DVD or a temporary disk;</li>
 * <li>{@code isOnlyOSDiskBackupEnabled}: only {@code /};</li>
 * <li>a selective disk backup (LUN list given, some disk excluded): only file systems whose every
 *     disk is in the list ({@code -1} the OS disk), so a volume group spanning an excluded disk is
 *     left out as upstream; a file system on a disk that cannot be named is counted and the result
 *     marked failed, rather than a wrong size passed as right;</li>
 * <li>at most 1 TiB per listed disk, as upstream caps it (upstream's cap zeroes the size of a request
 *     without a LUN list; here there is no cap then).</li>
 * </ul>
 * With {@value FreezeEligibility#FREEZE_MOUNTS_ENV} set, the listed mounts are the ones measured (the
 * tests' loop mounts), without disk rules.
 */
public final class UsedSpace {
    private static final Logger LOG = LoggerFactory.getLogger(UsedSpace.class);
    private static final long TIB = 1L << 40;
    private static final Set<String> NOT_A_DISK_OF_THE_VM = Set.of("iso9660", "udf", "squashfs");
    private static final Set<String> REMOTE_TYPES = Set.of("nfs", "nfs4", "cifs", "smb3", "smbfs", "ceph",
            "glusterfs", "lustre", "9p", "afs", "gpfs", "beegfs", "davfs", "ocfs2", "gfs2");

    /** statvfs of one mount point: its used bytes (blocks minus free blocks, as df's "Used"). */
    @FunctionalInterface
    public interface SpaceProbe {
        SpaceProbe STATVFS = mountPoint -> {
            FileStore store = Files.getFileStore(mountPoint);
            return store.getTotalSpace() - store.getUnallocatedSpace();
        };

        long usedBytes(Path mountPoint) throws IOException;
    }

    private final Map<String, String> env;
    private final DiskRoles roles;
    private final SpaceProbe probe;

    /**
     * @param sysRoot        normally {@code /sys}
     * @param temporaryDisks from {@link ResourceDiskLocator#devices()}
     */
    public UsedSpace(Map<String, String> env, Path sysRoot, Set<String> temporaryDisks, SpaceProbe probe) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.roles = new DiskRoles(sysRoot, temporaryDisks);
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    /** @param mountTable all mounts in mount order ({@link MountTable#read()}) */
    public UsedSize measure(List<Mount> mountTable, SizeScope scope) {
        if (env.containsKey(FreezeEligibility.FREEZE_MOUNTS_ENV)) {
            try {
                return sum(new FreezeEligibility(env, Set.of(), Set.of()).select(mountTable), false);
            } catch (HandlerException e) {
                LOG.warn("used-size-failed detail={}", e.detail());
                return UsedSize.UNKNOWN;
            }
        }
        boolean unattributed = false;
        List<Mount> counted = new ArrayList<>();
        for (Mount mount : localFileSystems(mountTable)) {
            Set<String> disks = roles.disksOf(mount.deviceNumber());
            List<DiskRoles.Role> diskRoles = disks.stream().map(roles::roleOf).toList();
            if (diskRoles.stream().anyMatch(r -> r.kind() == DiskRoles.Kind.TEMPORARY)) {
                continue;
            }
            if (scope.onlyOsDisk()) {
                if (mount.isRoot()) {
                    counted.add(mount);
                }
                continue;
            }
            if (scope.everyDisk()) {
                counted.add(mount);
                continue;
            }
            if (disks.isEmpty() || diskRoles.stream().anyMatch(r -> r.kind() == DiskRoles.Kind.UNKNOWN)) {
                LOG.warn("used-size-unattributed mountPoint={} device={} disks={}", mount.mountPoint(),
                        mount.device(), disks);
                unattributed = true;
                counted.add(mount);
            } else if (diskRoles.stream().allMatch(r -> scope.includeLunList().contains(r.lun()))) {
                counted.add(mount);
            }
        }
        UsedSize total = sum(counted, unattributed);
        long cap = scope.includeLunList().size() * TIB;
        return cap > 0 && total.bytes() > cap ? new UsedSize(cap, total.failed()) : total;
    }

    private UsedSize sum(List<Mount> mounts, boolean failed) {
        long bytes = 0;
        boolean anyFailed = failed;
        Set<String> measured = new HashSet<>();
        for (Mount mount : mounts) {
            if (!measured.add(mount.deviceNumber())) {
                continue;
            }
            try {
                bytes += Math.max(0, probe.usedBytes(mount.mountPoint()));
            } catch (IOException | RuntimeException e) {
                LOG.warn("used-size-unmeasured mountPoint={} error={}", mount.mountPoint(), e.toString());
                anyFailed = true;
            }
        }
        LOG.info("used-size bytes={} failed={} fileSystems={}", bytes, anyFailed, measured.size());
        return new UsedSize(bytes, anyFailed);
    }

    /* The visible mounts of local block devices, none beneath a remote or FUSE mount. */
    private static List<Mount> localFileSystems(List<Mount> mountTable) {
        Map<String, Mount> visible = new LinkedHashMap<>();
        for (Mount mount : mountTable) {
            visible.remove(mount.mountPoint().toString());
            visible.put(mount.mountPoint().toString(), mount);
        }
        List<Path> remote = visible.values().stream().filter(UsedSpace::remote).map(Mount::mountPoint).toList();
        List<Mount> local = new ArrayList<>();
        for (Mount mount : visible.values()) {
            boolean blockBacked = !mount.deviceNumber().startsWith("0:");
            boolean beneathRemote = remote.stream().anyMatch(r -> mount.mountPoint().startsWith(r));
            if (blockBacked && !remote(mount) && !beneathRemote && !mount.isLoop()
                    && !NOT_A_DISK_OF_THE_VM.contains(mount.fsType())) {
                local.add(mount);
            }
        }
        return local;
    }

    private static boolean remote(Mount mount) {
        return REMOTE_TYPES.contains(mount.fsType()) || mount.fsType().startsWith("fuse");
    }
}

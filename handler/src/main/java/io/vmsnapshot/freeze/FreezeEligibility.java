package io.vmsnapshot.freeze;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which mounts to freeze, in which order.
 *
 * <p>Default rules, as upstream: ext3, ext4, xfs and btrfs; not loop-backed; not the resource disk;
 * not listed in {@code MountsToSkip}; in reverse mount order with {@code /} last (so a file system
 * is frozen before the one it is mounted on). Unlike upstream, a file system mounted at several
 * places (bind mounts, btrfs subvolumes) is frozen once: a second FIFREEZE of the same superblock
 * fails with EBUSY, which upstream reported as a freeze failure.
 *
 * <p>{@value #FREEZE_MOUNTS_ENV} replaces the rules: exactly the listed mount points, in the
 * listed order, loop mounts included; set but empty freezes nothing. A listed path that is not a
 * mount point fails with {@link ErrorCode#FS_UNABLE_TO_OPEN_MOUNT}: it is the code the helper
 * itself gives a path it cannot open as a mount root, and it names the path instead of blaming
 * the freeze.
 */
public final class FreezeEligibility {
    public static final String FREEZE_MOUNTS_ENV = "VMSNAPSHOT_FREEZE_MOUNTS";
    private static final Set<String> FREEZABLE_TYPES = Set.of("ext3", "ext4", "xfs", "btrfs");

    private final Map<String, String> env;
    private final Set<Path> mountsToSkip;
    private final Set<String> temporaryDisks;

    /**
     * @param env            the process environment (only {@value #FREEZE_MOUNTS_ENV} is read)
     * @param mountsToSkip   from {@link VmBackupConf}
     * @param temporaryDisks from {@link ResourceDiskLocator#devices()}, e.g. {@code sdb}, {@code nvme0n1}
     */
    public FreezeEligibility(Map<String, String> env, Set<Path> mountsToSkip, Set<String> temporaryDisks) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.mountsToSkip = Set.copyOf(Objects.requireNonNull(mountsToSkip, "mountsToSkip"));
        this.temporaryDisks = Set.copyOf(Objects.requireNonNull(temporaryDisks, "temporaryDisks"));
    }

    /** With at most one temporary disk, e.g. {@code sdb}. */
    public FreezeEligibility(Map<String, String> env, Set<Path> mountsToSkip, Optional<String> resourceDiskDevice) {
        this(env, mountsToSkip, resourceDiskDevice.map(Set::of).orElse(Set.of()));
    }

    /** @param mountTable all mounts in mount order ({@link MountTable#read()}) */
    public List<Mount> select(List<Mount> mountTable) throws HandlerException {
        String listed = env.get(FREEZE_MOUNTS_ENV);
        return listed != null ? listedMounts(listed, visibleMounts(mountTable)) : byRules(mountTable);
    }

    /**
     * Why each mount that {@link #select} leaves out is left out, in mount order: what {@code check}
     * tells an operator who wonders why a file system is not frozen.
     */
    public List<SkippedMount> skipped(List<Mount> mountTable) throws HandlerException {
        Set<Mount> selected = new HashSet<>(select(mountTable));
        Map<String, Mount> visible = visibleMounts(mountTable);
        boolean listed = env.containsKey(FREEZE_MOUNTS_ENV);
        Map<String, Mount> firstOfDevice = new HashMap<>();
        selected.forEach(m -> firstOfDevice.put(m.deviceNumber(), m));
        List<SkippedMount> skipped = new ArrayList<>();
        for (Mount mount : mountTable) {
            if (selected.contains(mount)) {
                continue;
            }
            skipped.add(skip(mount, visible, listed, firstOfDevice));
        }
        return List.copyOf(skipped);
    }

    private SkippedMount skip(Mount mount, Map<String, Mount> visible, boolean listed, Map<String, Mount> frozen) {
        if (visible.get(mount.mountPoint().toString()) != mount) {
            return new SkippedMount(mount, SkippedMount.Reason.MOUNTED_OVER, "");
        }
        if (listed) {
            return new SkippedMount(mount, SkippedMount.Reason.NOT_LISTED, FREEZE_MOUNTS_ENV);
        }
        if (!FREEZABLE_TYPES.contains(mount.fsType())) {
            return new SkippedMount(mount, SkippedMount.Reason.FILE_SYSTEM_TYPE, mount.fsType());
        }
        if (mount.isLoop()) {
            return new SkippedMount(mount, SkippedMount.Reason.LOOP_DEVICE, "");
        }
        if (mountsToSkip.contains(mount.mountPoint().normalize())) {
            return new SkippedMount(mount, SkippedMount.Reason.MOUNTS_TO_SKIP, "");
        }
        if (isResourceDisk(mount)) {
            return new SkippedMount(mount, SkippedMount.Reason.TEMPORARY_DISK, "");
        }
        Mount same = frozen.get(mount.deviceNumber());
        return new SkippedMount(mount, SkippedMount.Reason.SAME_FILE_SYSTEM,
                same == null ? "" : same.mountPoint().toString());
    }

    private List<Mount> listedMounts(String listed, Map<String, Mount> visible) throws HandlerException {
        List<Mount> selected = new ArrayList<>();
        if (listed.isEmpty()) {
            return selected;
        }
        for (String entry : listed.split(":", -1)) {
            Mount mount = entry.startsWith("/") ? visible.get(normalized(entry)) : null;
            if (mount == null) {
                throw new HandlerException(ErrorCode.FS_UNABLE_TO_OPEN_MOUNT, FREEZE_MOUNTS_ENV + " lists '"
                        + entry + "', which is not a mount point; list only mount points, separated by ':'");
            }
            selected.add(mount);
        }
        return List.copyOf(selected);
    }

    /* "/mnt/data/" and "/mnt//data" name the mount point "/mnt/data". */
    private static String normalized(String path) {
        String collapsed = path.replaceAll("/+", "/");
        return collapsed.length() > 1 && collapsed.endsWith("/")
                ? collapsed.substring(0, collapsed.length() - 1) : collapsed;
    }

    private List<Mount> byRules(List<Mount> mountTable) {
        List<Mount> reversed = new ArrayList<>(visibleMounts(mountTable).values());
        Collections.reverse(reversed);
        Mount root = null;
        List<Mount> selected = new ArrayList<>();
        for (Mount mount : reversed) {
            if (!eligible(mount)) {
                continue;
            }
            if (mount.isRoot()) {
                root = mount;
            } else {
                selected.add(mount);
            }
        }
        Set<String> frozenDevices = new HashSet<>();
        if (root != null) {
            frozenDevices.add(root.deviceNumber());
        }
        List<Mount> ordered = new ArrayList<>();
        for (Mount mount : selected) {
            if (frozenDevices.add(mount.deviceNumber())) {
                ordered.add(mount);
            }
        }
        if (root != null) {
            ordered.add(root);
        }
        return List.copyOf(ordered);
    }

    private boolean eligible(Mount mount) {
        return FREEZABLE_TYPES.contains(mount.fsType())
                && !mount.isLoop()
                && !mountsToSkip.contains(mount.mountPoint().normalize())
                && !isResourceDisk(mount);
    }

    /* sdb1, and nvme0n1p1 for NVMe, whose partition numbers follow a 'p'. */
    private boolean isResourceDisk(Mount mount) {
        return temporaryDisks.stream().anyMatch(disk -> Pattern.compile("/dev/" + Pattern.quote(disk) + "(p?\\d+)?")
                .matcher(mount.device()).matches());
    }

    /*
     * A mount point mounted over keeps only its last mount visible; that one is what opening the
     * path reaches. Keeps mount order (of each point's last mount).
     */
    private static Map<String, Mount> visibleMounts(List<Mount> mountTable) {
        Map<String, Mount> visible = new LinkedHashMap<>();
        for (Mount mount : mountTable) {
            String key = mount.mountPoint().toString();
            visible.remove(key);
            visible.put(key, mount);
        }
        return visible;
    }
}

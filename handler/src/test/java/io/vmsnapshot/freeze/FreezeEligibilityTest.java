package io.vmsnapshot.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.nio.file.FileSystem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreezeEligibilityTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());

    private final List<Mount> table = List.of(
            mount("/dev/sda1", "/", "ext4", "8:1"),
            mount("proc", "/proc", "proc", "0:21"),
            mount("/dev/sda15", "/boot/efi", "vfat", "8:15"),
            mount("/dev/sda2", "/boot", "ext4", "8:2"),
            mount("/dev/sdc1", "/data", "xfs", "8:33"),
            mount("/dev/sdb1", "/mnt", "ext4", "8:17"),
            mount("/dev/loop0", "/snap/core", "ext4", "7:0"),
            mount("/dev/sdd", "/srv/btrfs", "btrfs", "0:45"),
            mount("/dev/sdd", "/srv/btrfs-sub", "btrfs", "0:45"),
            mount("/dev/sde1", "/legacy", "ext3", "8:65"),
            mount("tmpfs", "/run", "tmpfs", "0:25"));

    private Mount mount(String device, String point, String type, String number) {
        return new Mount(device, fs.getPath(point), type, number);
    }

    private List<String> select(Map<String, String> env, Set<String> skip, Optional<String> resourceDisk)
            throws HandlerException {
        Set<java.nio.file.Path> skipPaths = new java.util.HashSet<>();
        skip.forEach(s -> skipPaths.add(fs.getPath(s)));
        return new FreezeEligibility(env, skipPaths, resourceDisk).select(table).stream()
                .map(m -> m.mountPoint().toString()).toList();
    }

    @Test
    void select_byDefault_takesFreezableTypesInReverseMountOrderWithRootLast() throws Exception {
        assertEquals(List.of("/legacy", "/srv/btrfs-sub", "/mnt", "/data", "/boot", "/"),
                select(Map.of(), Set.of(), Optional.empty()));
    }

    @Test
    void select_byDefault_freezesAFileSystemMountedTwiceOnlyOnce() throws Exception {
        List<String> selected = select(Map.of(), Set.of(), Optional.empty());

        assertTrue(selected.contains("/srv/btrfs-sub") ^ selected.contains("/srv/btrfs"), selected.toString());
    }

    @Test
    void select_byDefault_skipsTheResourceDiskAndMountsToSkip() throws Exception {
        assertEquals(List.of("/srv/btrfs-sub", "/data", "/boot", "/"),
                select(Map.of(), Set.of("/legacy/", "/nonexistent"), Optional.of("sdb")));
    }

    @Test
    void select_byDefault_keepsOnlyTheTopMountOfAMountPointMountedOver() throws Exception {
        List<Mount> overmounted = List.of(mount("/dev/sda1", "/", "ext4", "8:1"),
                mount("/dev/sdc1", "/data", "xfs", "8:33"),
                mount("tmpfs", "/data", "tmpfs", "0:50"));

        List<Mount> selected = new FreezeEligibility(Map.of(), Set.of(), Optional.empty()).select(overmounted);

        assertEquals(List.of(overmounted.get(0)), selected);
    }

    @Test
    void select_whenEnvListsMounts_takesExactlyThoseInListedOrderLoopIncluded() throws Exception {
        assertEquals(List.of("/snap/core", "/data"),
                select(Map.of(FreezeEligibility.FREEZE_MOUNTS_ENV, "/snap/core:/data/"), Set.of("/data"),
                        Optional.of("sdc")));
    }

    @Test
    void select_whenEnvSetButEmpty_freezesNothing() throws Exception {
        assertEquals(List.of(), select(Map.of(FreezeEligibility.FREEZE_MOUNTS_ENV, ""), Set.of(), Optional.empty()));
    }

    @Test
    void select_whenEnvListsANonMountPoint_failsNamingIt() {
        HandlerException e = assertThrows(HandlerException.class, () -> select(
                Map.of(FreezeEligibility.FREEZE_MOUNTS_ENV, "/data:/data/sub"), Set.of(), Optional.empty()));

        assertEquals(ErrorCode.FS_UNABLE_TO_OPEN_MOUNT, e.errorCode());
        assertTrue(e.detail().contains("'/data/sub'"), e.detail());
        assertTrue(e.detail().contains(FreezeEligibility.FREEZE_MOUNTS_ENV), e.detail());
    }

    @Test
    void select_whenEnvHasAnEmptyOrRelativeEntry_fails() {
        assertThrows(HandlerException.class, () -> select(
                Map.of(FreezeEligibility.FREEZE_MOUNTS_ENV, "/data::/boot"), Set.of(), Optional.empty()));
        assertThrows(HandlerException.class, () -> select(
                Map.of(FreezeEligibility.FREEZE_MOUNTS_ENV, "data"), Set.of(), Optional.empty()));
    }

    @Test
    void select_byDefault_skipsEveryNvmeTemporaryDiskPartition() throws Exception {
        List<Mount> nvme = List.of(mount("/dev/nvme0n1p1", "/", "ext4", "259:1"),
                mount("/dev/nvme1n1p1", "/mnt", "ext4", "259:5"),
                mount("/dev/nvme2n1", "/mnt/local2", "xfs", "259:6"),
                mount("/dev/nvme0n2", "/data", "xfs", "259:3"));

        List<Mount> selected = new FreezeEligibility(Map.of(), Set.of(), Set.of("nvme1n1", "nvme2n1")).select(nvme);

        assertEquals(List.of(nvme.get(3), nvme.get(0)), selected);
    }

    @Test
    void skipped_saysWhyEachOtherMountIsNotFrozen() throws Exception {
        Set<java.nio.file.Path> skip = Set.of(fs.getPath("/legacy"));
        List<SkippedMount> skipped = new FreezeEligibility(Map.of(), skip, Set.of("sdb")).skipped(table);

        Map<String, SkippedMount> byPoint = new java.util.HashMap<>();
        skipped.forEach(s -> byPoint.put(s.mount().mountPoint().toString(), s));
        assertEquals(Set.of("/proc", "/boot/efi", "/mnt", "/snap/core", "/srv/btrfs", "/legacy", "/run"),
                byPoint.keySet());
        assertEquals(SkippedMount.Reason.FILE_SYSTEM_TYPE, byPoint.get("/boot/efi").reason());
        assertEquals("vfat", byPoint.get("/boot/efi").detail());
        assertEquals(SkippedMount.Reason.TEMPORARY_DISK, byPoint.get("/mnt").reason());
        assertEquals(SkippedMount.Reason.LOOP_DEVICE, byPoint.get("/snap/core").reason());
        assertEquals(SkippedMount.Reason.MOUNTS_TO_SKIP, byPoint.get("/legacy").reason());
        assertEquals(new SkippedMount(table.get(7), SkippedMount.Reason.SAME_FILE_SYSTEM, "/srv/btrfs-sub"),
                byPoint.get("/srv/btrfs"));
    }

    @Test
    void skipped_whenEnvListsMounts_namesTheVariable() throws Exception {
        List<SkippedMount> skipped = new FreezeEligibility(Map.of(FreezeEligibility.FREEZE_MOUNTS_ENV, "/data"),
                Set.of(), Set.of()).skipped(table);

        assertEquals(table.size() - 1, skipped.size());
        assertTrue(skipped.stream().allMatch(s -> s.reason() == SkippedMount.Reason.NOT_LISTED));
    }
}

package io.vmsnapshot.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Used size over a generation 1 VM's sysfs: OS disk sda (IDE controller 00000000-0000), resource disk
 * sdb, data disks sdc..sdf on the SCSI controller f8b3781b by LUN, a volume group over sde and sdf.
 */
class UsedSpaceTest {
    private static final String OS_CONTROLLER = "{00000000-0000-8899-0000-000000000000}";
    private static final String DATA_CONTROLLER = "{f8b3781b-1e82-4818-a1c3-63d806ec15bb}";
    private static final long TIB = 1L << 40;

    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path sys = fs.getPath("/sys");
    private final Map<Path, Long> used = new HashMap<>();
    private final List<Path> asked = new ArrayList<>();
    private final List<Mount> table = new ArrayList<>();

    /** Strict: a mount the calculator must never touch (network, FUSE, beneath one) fails the test. */
    private final UsedSpace.SpaceProbe probe = mountPoint -> {
        asked.add(mountPoint);
        Long bytes = used.get(mountPoint);
        if (bytes == null) {
            fail("asked statvfs of " + mountPoint + ", which must never be touched");
        }
        if (bytes < 0) {
            throw new IOException("Input/output error");
        }
        return bytes;
    };

    UsedSpaceTest() throws IOException {
        Path sda = disk(OS_CONTROLLER, "vmbus_os", "0:0:0:0", "sda");
        disk("{00000000-0001-8899-0000-000000000000}", "vmbus_res", "1:0:1:0", "sdb");
        Path sdc = disk(DATA_CONTROLLER, "vmbus_data", "3:0:0:0", "sdc");
        Path sdd = disk(DATA_CONTROLLER, "vmbus_data", "3:0:0:1", "sdd");
        disk(DATA_CONTROLLER, "vmbus_data", "3:0:0:2", "sde");
        disk(DATA_CONTROLLER, "vmbus_data", "3:0:0:3", "sdf");
        Path sdb1 = partition(sys.resolve("class/block/sdb").toRealPath(), "sdb1");
        number("8:1", partition(sda, "sda1"));
        number("8:17", sdb1);
        number("8:33", partition(sdc, "sdc1"));
        number("8:48", sdd);
        Path dm = Files.createDirectories(sys.resolve("devices/virtual/block/dm-0/slaves"));
        Files.createDirectories(dm.resolve("sde"));
        Files.createDirectories(dm.resolve("sdf"));
        number("253:0", dm.getParent());

        mount("/dev/sda1", "/", "ext4", "8:1", 100);
        mount("proc", "/proc", "proc", "0:21", null);
        mount("/dev/sdc1", "/data", "xfs", "8:33", 20);
        mount("/dev/sdd", "/data2", "ext4", "8:48", 3);
        mount("/dev/mapper/vg-lv", "/lvm", "xfs", "253:0", 4000);
        mount("/dev/sdb1", "/mnt", "ext4", "8:17", null);
        mount("server:/export", "/nfs", "nfs4", "0:50", null);
        mount("/dev/sdg1", "/nfs/inner", "ext4", "8:97", null);
        mount("sshfs#host:", "/fuse", "fuse.sshfs", "0:51", null);
        mount("/dev/sdh1", "/ntfs", "fuseblk", "8:113", null);
        mount("/dev/loop0", "/snap/x", "squashfs", "7:0", null);
        mount("/dev/sdc1", "/data-bind", "xfs", "8:33", null);
        mount("tmpfs", "/run", "tmpfs", "0:25", null);
        mount("/dev/sr0", "/media/cd", "iso9660", "11:0", null);
    }

    private Path disk(String controllerId, String controller, String hctl, String name) throws IOException {
        Path vmbus = Files.createDirectories(sys.resolve("devices/VMBUS:00").resolve(controller));
        Files.writeString(vmbus.resolve("device_id"), controllerId + "\n");
        String[] parts = hctl.split(":");
        Path disk = Files.createDirectories(vmbus.resolve("host" + parts[0])
                .resolve("target" + parts[0] + ":" + parts[1] + ":" + parts[2]).resolve(hctl).resolve("block")
                .resolve(name));
        link(sys.resolve("class/block").resolve(name), disk);
        return disk;
    }

    private Path partition(Path disk, String name) throws IOException {
        Path partition = Files.createDirectories(disk.resolve(name));
        Files.writeString(partition.resolve("partition"), "1\n");
        link(sys.resolve("class/block").resolve(name), partition);
        return partition;
    }

    private void number(String majorMinor, Path device) throws IOException {
        link(sys.resolve("dev/block").resolve(majorMinor), device);
    }

    private void link(Path link, Path target) throws IOException {
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, target);
    }

    private void mount(String device, String point, String type, String number, Integer bytes) {
        Mount mount = new Mount(device, fs.getPath(point), type, number);
        table.add(mount);
        if (bytes != null) {
            used.put(mount.mountPoint(), bytes.longValue());
        }
    }

    private UsedSize measure(SizeScope scope) {
        return measure(Map.of(), scope);
    }

    private UsedSize measure(Map<String, String> env, SizeScope scope) {
        return new UsedSpace(env, sys, Set.of("sdb"), probe).measure(table, scope);
    }

    @Test
    void everyLocalBlockFileSystemCountsOnce_neverANetworkFuseLoopOrTemporaryOne() {
        assertEquals(new UsedSize(100 + 20 + 3 + 4000, false), measure(new SizeScope(List.of(), false, false)));
        assertEquals(4, asked.size(), asked.toString());
    }

    @Test
    void aRequestThatExcludesNoDisk_countsEveryDisk() {
        assertEquals(new UsedSize(4123, false), measure(new SizeScope(List.of(-1, 0, 1, 2, 3), false, false)));
    }

    @Test
    void aSelectiveDiskBackup_countsOnlyTheIncludedLunsAndTheOsDisk() {
        assertEquals(new UsedSize(100 + 20, false), measure(new SizeScope(List.of(-1, 0), true, false)));
        assertEquals(new UsedSize(3, false), measure(new SizeScope(List.of(1), true, false)));
    }

    @Test
    void aVolumeGroupCountsOnlyWhenEveryDiskUnderItIsIncluded() {
        assertEquals(new UsedSize(0, false), measure(new SizeScope(List.of(2), true, false)));
        assertEquals(new UsedSize(4000, false), measure(new SizeScope(List.of(2, 3), true, false)));
    }

    @Test
    void onlyOsDiskBackup_countsTheRootFileSystemOnly() {
        assertEquals(new UsedSize(100, false), measure(new SizeScope(List.of(-1), true, true)));
    }

    @Test
    void aFileSystemOnADiskSysfsCannotName_isCountedAndTheResultMarkedFailed() {
        mount("/dev/vdb1", "/other", "ext4", "252:17", 7);

        assertEquals(new UsedSize(100 + 7, true), measure(new SizeScope(List.of(-1), true, false)));
    }

    @Test
    void theSizeIsCappedAtOneTebibytePerListedDisk() {
        used.put(fs.getPath("/data"), 3 * TIB);

        assertEquals(new UsedSize(TIB, false), measure(new SizeScope(List.of(0), true, false)));
    }

    @Test
    void aMountThatCannotBeMeasured_marksTheResultFailed() {
        used.put(fs.getPath("/data2"), -1L);

        assertEquals(new UsedSize(4120, true), measure(new SizeScope(List.of(), false, false)));
    }

    @Test
    void withFreezeMountsListed_exactlyThoseAreMeasured() {
        assertEquals(new UsedSize(3 + 20, false), measure(Map.of(FreezeEligibility.FREEZE_MOUNTS_ENV, "/data2:/data"),
                new SizeScope(List.of(-1), true, true)));
    }

    @Test
    void onAnNvmeSize_theRemoteNamespacesAreTheOsAndDataDisksAndTheDirectDiskIsTemporary() throws IOException {
        table.clear();
        used.clear();
        nvme("nvme0n1", "MSFT NVMe Accelerator v1.0", 1, "259:1");
        nvme("nvme0n3", "MSFT NVMe Accelerator v1.0", 3, "259:3");
        nvme("nvme1n1", "Microsoft NVMe Direct Disk v2", 1, "259:5");
        mount("/dev/nvme0n1p1", "/", "ext4", "259:1", 50);
        mount("/dev/nvme0n3", "/data", "xfs", "259:3", 9);
        mount("/dev/nvme1n1", "/mnt", "xfs", "259:5", null);

        UsedSize size = new UsedSpace(Map.of(), sys, Set.of("nvme1n1"), probe)
                .measure(table, new SizeScope(List.of(1), true, false));

        assertEquals(new UsedSize(9, false), size);
    }

    private void nvme(String name, String model, int nsid, String majorMinor) throws IOException {
        Path disk = Files.createDirectories(sys.resolve("devices/pci0/nvme").resolve(name));
        Files.createDirectories(disk.resolve("device"));
        Files.writeString(disk.resolve("device/model"), model + "     \n");
        Files.writeString(disk.resolve("nsid"), nsid + "\n");
        link(sys.resolve("class/block").resolve(name), disk);
        Path device = disk;
        if (nsid == 1 && model.startsWith("MSFT")) {
            device = partition(disk, name + "p1");
        }
        number(majorMinor, device);
    }
}

package io.vmsnapshot.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountTableTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path mountInfo = fs.getPath("/proc/self/mountinfo");

    private List<Mount> read(String... lines) throws Exception {
        Files.createDirectories(mountInfo.getParent());
        Files.write(mountInfo, List.of(lines));
        return new MountTable(mountInfo).read();
    }

    @Test
    void read_parsesDeviceMountPointTypeAndNumberInMountOrder() throws Exception {
        List<Mount> mounts = read(
                "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw",
                "23 22 0:21 / /proc rw,nosuid - proc proc rw",
                "40 22 8:17 / /data rw,relatime shared:5 master:2 - xfs /dev/sdb1 rw,attr2");

        assertEquals(List.of(
                new Mount("/dev/sda1", fs.getPath("/"), "ext4", "8:1"),
                new Mount("proc", fs.getPath("/proc"), "proc", "0:21"),
                new Mount("/dev/sdb1", fs.getPath("/data"), "xfs", "8:17")), mounts);
    }

    @Test
    void read_unescapesSpacesAndBackslashesInMountPoints() throws Exception {
        List<Mount> mounts = read("41 22 7:0 / /mnt/my\\040disk\\134x rw - ext4 /dev/loop0 rw");

        assertEquals(fs.getPath("/mnt/my disk\\x"), mounts.get(0).mountPoint());
    }

    @Test
    void read_whenLineHasNoSeparator_failsNamingTheLine() throws Exception {
        HandlerException e = assertThrows(HandlerException.class,
                () -> read("22 1 8:1 / / rw,relatime", "junk"));

        assertEquals(ErrorCode.FS_FREEZE_FAILED, e.errorCode());
        assertTrue(e.detail().contains("line 1"), e.detail());
    }

    @Test
    void read_whenFileMissing_failsNamingTheFile() {
        HandlerException e = assertThrows(HandlerException.class, () -> new MountTable(mountInfo).read());

        assertTrue(e.detail().contains("/proc/self/mountinfo"), e.detail());
    }

    @Test
    void isLoop_byLoopMajorOrLoopDeviceName() {
        assertTrue(new Mount("/dev/loop3", fs.getPath("/m"), "ext4", "7:3").isLoop());
        assertTrue(new Mount("/dev/loop0p1", fs.getPath("/m"), "ext4", "259:0").isLoop());
        assertFalse(new Mount("/dev/sda1", fs.getPath("/m"), "ext4", "8:1").isLoop());
        assertFalse(new Mount("/dev/sda1", fs.getPath("/m"), "ext4", "70:1").isLoop());
    }
}

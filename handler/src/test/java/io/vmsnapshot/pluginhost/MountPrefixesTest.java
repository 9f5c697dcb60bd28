package io.vmsnapshot.pluginhost;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Telling file systems apart by the text of a path, so the /proc scan never stats a file on a hung mount. */
class MountPrefixesTest {
    private static final String MOUNTINFO = """
            22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
            30 22 0:40 / /mnt/nfs rw,relatime shared:9 - nfs4 server:/export rw
            31 22 8:17 / /data\\040disk rw,relatime shared:10 - xfs /dev/sdb1 rw
            32 31 0:40 / /data\\040disk/nfs rw,relatime shared:11 - nfs4 server:/export rw
            """;

    private static MountPrefixes table(String text) throws Exception {
        FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
        Path mountinfo = fs.getPath("/mountinfo");
        Files.writeString(mountinfo, text);
        return MountPrefixes.read(mountinfo);
    }

    @Test
    void pathsUnderTheSameMountMayBeTheSameFileSystem() throws Exception {
        MountPrefixes mounts = table(MOUNTINFO);

        assertTrue(mounts.maySameFileSystem("/home/user/x (deleted)", "/etc/azure/pre.sh"));
        assertTrue(mounts.maySameFileSystem("/data disk/app/pre.sh", "/data disk/b"));
    }

    @Test
    void aPathUnderAnotherMountIsRuledOutWithoutTouchingIt() throws Exception {
        MountPrefixes mounts = table(MOUNTINFO);

        assertFalse(mounts.maySameFileSystem("/mnt/nfs/file", "/etc/azure/pre.sh"));
        assertFalse(mounts.maySameFileSystem("/data disk/nfs/file", "/data disk/pre.sh"));
        assertFalse(mounts.maySameFileSystem("/mnt/nfsx/file", "/mnt/nfs/pre.sh"));
    }

    @Test
    void withoutAMountTableNothingIsRuledOut() throws Exception {
        assertTrue(table("").maySameFileSystem("/mnt/nfs/file", "/etc/azure/pre.sh"));
    }
}

package io.vmsnapshot.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResourceDiskLocatorTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path sys = fs.getPath("/sys");

    private void device(String name, String id, String blockParent, String disk) throws Exception {
        Path dir = sys.resolve("bus/vmbus/devices").resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("device_id"), "{" + id + "}\n");
        Files.createDirectories(dir.resolve(blockParent).resolve("block").resolve(disk));
    }

    @Test
    void device_whenNoVmbus_isEmpty() throws Exception {
        assertEquals(Optional.empty(), new ResourceDiskLocator(sys).device());
    }

    @Test
    void device_onGeneration1_isTheDiskOfThe0001Controller() throws Exception {
        device("vmbus_1", "00000000-0000-8899-0000-000000000000", "host0/target0:0:0/0:0:0:0", "sda");
        device("vmbus_2", "00000000-0001-8899-0000-000000000000", "host1/target1:0:1/1:0:1:0", "sdb");

        assertEquals(Optional.of("sdb"), new ResourceDiskLocator(sys).device());
    }

    @Test
    void device_onGeneration2_isLunOneOfTheScsiController() throws Exception {
        String controller = "f8b3781a-1e82-4818-a1c3-63d806ec15bb";
        device("vmbus_3", controller.toUpperCase(), "host0/target0:0:0/0:0:0:0", "sda");
        Files.createDirectories(sys.resolve("bus/vmbus/devices/vmbus_3/host0/target0:0:0/0:0:0:1/block/sdb"));

        assertEquals(Optional.of("sdb"), new ResourceDiskLocator(sys).device());
    }
}

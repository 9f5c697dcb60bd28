package io.vmsnapshot.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceDiskLocatorTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path sys = fs.getPath("/sys");
    private final Path dev = fs.getPath("/dev");

    private void nvme(String namespace, String model) throws Exception {
        Path controller = Files.createDirectories(sys.resolve("block").resolve(namespace).resolve("device"));
        Files.writeString(controller.resolve("model"), model + "\n");
    }

    private void device(String name, String id, String blockParent, String disk) throws Exception {
        Path dir = sys.resolve("bus/vmbus/devices").resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("device_id"), "{" + id + "}\n");
        Files.createDirectories(dir.resolve(blockParent).resolve("block").resolve(disk));
    }

    @Test
    void device_whenNoVmbus_isEmpty() throws Exception {
        assertEquals(Set.of(), new ResourceDiskLocator(sys, dev).devices());
    }

    @Test
    void device_onGeneration1_isTheDiskOfThe0001Controller() throws Exception {
        device("vmbus_1", "00000000-0000-8899-0000-000000000000", "host0/target0:0:0/0:0:0:0", "sda");
        device("vmbus_2", "00000000-0001-8899-0000-000000000000", "host1/target1:0:1/1:0:1:0", "sdb");

        assertEquals(Set.of("sdb"), new ResourceDiskLocator(sys, dev).devices());
    }

    @Test
    void device_onGeneration2_isLunOneOfTheScsiController() throws Exception {
        String controller = "f8b3781a-1e82-4818-a1c3-63d806ec15bb";
        device("vmbus_3", controller.toUpperCase(), "host0/target0:0:0/0:0:0:0", "sda");
        Files.createDirectories(sys.resolve("bus/vmbus/devices/vmbus_3/host0/target0:0:0/0:0:0:1/block/sdb"));

        assertEquals(Set.of("sdb"), new ResourceDiskLocator(sys, dev).devices());
    }

    @Test
    void devices_onAnNvmeSize_areTheMicrosoftNvmeDirectDisksAndNotTheRemoteOnes() throws Exception {
        nvme("nvme0n1", "MSFT NVMe Accelerator v1.0              ");
        nvme("nvme0n2", "MSFT NVMe Accelerator v1.0              ");
        nvme("nvme1n1", "Microsoft NVMe Direct Disk              ");
        nvme("nvme2n1", "Microsoft NVMe Direct Disk v2           ");
        Files.createDirectories(sys.resolve("block/sda"));

        assertEquals(Set.of("nvme1n1", "nvme2n1"), new ResourceDiskLocator(sys, dev).devices());
    }

    @Test
    void devices_includeWhatTheUdevResourceLinkPointsTo() throws Exception {
        Files.createDirectories(dev.resolve("disk/azure"));
        Files.createSymbolicLink(dev.resolve("disk/azure/resource"), fs.getPath("../../sdb"));

        assertEquals(Set.of("sdb"), new ResourceDiskLocator(sys, dev).devices());
    }

    @Test
    void devices_whenANamespaceHasNoModel_leaveItAlone() throws Exception {
        Files.createDirectories(sys.resolve("block/nvme0n1/device"));

        assertEquals(Set.of(), new ResourceDiskLocator(sys, dev).devices());
    }
}

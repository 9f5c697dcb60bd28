package io.vmsnapshot.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeartbeatWriterTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path file = fs.getPath("/base/heartbeat.log");
    private final HeartbeatWriter writer = new HeartbeatWriter(file);

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void write_ready_isTheAgentsExactFormat() throws Exception {
        Files.createDirectories(file.getParent());

        writer.write(Heartbeat.ready("Enable succeeded"));

        assertEquals("[{\"version\":1.0,\"heartbeat\":{\"status\":\"Ready\",\"code\":0,"
                + "\"formattedMessage\":{\"lang\":\"en-US\",\"message\":\"Enable succeeded\"}}}]", Files.readString(file));
    }

    @Test
    void write_notReady_replacesTheReadyHeartbeat() throws Exception {
        Files.createDirectories(file.getParent());
        writer.write(Heartbeat.ready("up"));

        writer.write(Heartbeat.notReady(1, "disabled"));

        assertEquals("[{\"version\":1.0,\"heartbeat\":{\"status\":\"NotReady\",\"code\":1,"
                + "\"formattedMessage\":{\"lang\":\"en-US\",\"message\":\"disabled\"}}}]", Files.readString(file));
    }
}

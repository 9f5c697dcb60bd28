package io.vmsnapshot.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InstallCommandTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final AgentLayout agent = new AgentLayout(fs.getPath("/var/lib/waagent"));

    @AfterEach
    void tearDown() throws IOException {
        fs.close();
    }

    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.map(p -> {
                try {
                    return root.relativize(p) + (Files.isRegularFile(p) ? "=" + Files.readString(p) : "/");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sorted().toList();
        }
    }

    private void customerConfig() throws IOException {
        Files.writeString(agent.configDir.resolve("VMSnapshotPluginConfig.json"), "{\"pluginName\":\"ScriptRunner\"}");
        Files.writeString(agent.configDir.resolve("vmbackup.conf"), "[SnapshotThread]\ntimeout = 30\n");
    }

    @Test
    void install_createsTheStateFolderIdempotentlyAndNeverTouchesTheConfigDir() throws Exception {
        customerConfig();
        List<String> before = tree(agent.configDir);

        assertEquals(ExitCodes.SUCCESS, agent.run(new InstallCommand()));
        assertEquals(ExitCodes.SUCCESS, agent.run(new InstallCommand()));

        assertTrue(Files.isDirectory(agent.paths().stateDir()));
        assertEquals(before, tree(agent.configDir));
    }
}

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InstallCommandTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final AgentLayout agent = new AgentLayout(fs.getPath("/var/lib/waagent"));

    @AfterEach
    void tearDown() throws IOException {
        fs.close();
    }

    @Test
    void install_createsTheStateFolderIdempotentlyAndNeverTouchesTheConfigDir() throws Exception {
        agent.customerConfig();
        List<String> before = AgentLayout.tree(agent.configDir);

        assertEquals(ExitCodes.SUCCESS, agent.run(agent.install()));
        assertEquals(ExitCodes.SUCCESS, agent.run(agent.install()));

        assertTrue(Files.isDirectory(agent.paths().stateDir()));
        assertEquals(before, AgentLayout.tree(agent.configDir));
    }
}

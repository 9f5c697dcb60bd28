package io.vmsnapshot.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpdateCommandTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final AgentLayout agent = new AgentLayout(fs.getPath("/var/lib/waagent"));

    @AfterEach
    void tearDown() throws IOException {
        fs.close();
    }

    private AgentLayout oldVersionWithTasks(String version, String tasks) throws IOException {
        AgentLayout old = new AgentLayout(agent.lib, version);
        Files.createDirectories(old.paths().stateDir());
        Files.writeString(old.paths().taskRegistryFile(), tasks);
        return old;
    }

    @Test
    void update_carriesTheTaskHistoryFromTheOldVersionBesideUs() throws Exception {
        oldVersionWithTasks("1.0.9200.0", "[{\"taskId\":\"t-old\"}]");
        agent.env.put(UpdateCommand.UPDATING_FROM, "1.0.9200.0");

        assertEquals(ExitCodes.SUCCESS, agent.run(agent.update()));

        assertEquals("[{\"taskId\":\"t-old\"}]", Files.readString(agent.paths().taskRegistryFile()));
    }

    @Test
    void update_withoutTheOldVersionVariable_carriesNothing() throws Exception {
        oldVersionWithTasks("1.0.9200.0", "[]");

        assertEquals(ExitCodes.SUCCESS, agent.run(agent.update()));

        assertFalse(Files.exists(agent.paths().taskRegistryFile()));
    }

    @Test
    void update_whenTheOldVersionHasNoHistory_carriesNothing() throws Exception {
        new AgentLayout(agent.lib, "1.0.9200.0");
        agent.env.put(UpdateCommand.UPDATING_FROM, "1.0.9200.0");

        assertEquals(ExitCodes.SUCCESS, agent.run(agent.update()));

        assertFalse(Files.exists(agent.paths().taskRegistryFile()));
    }

    @Test
    void update_neverFollowsAVersionThatIsAPath() throws Exception {
        Files.createDirectories(agent.lib.resolve("evil/state"));
        Files.writeString(agent.lib.resolve("evil/state/tasks.json"), "[]");
        agent.env.put(UpdateCommand.UPDATING_FROM, "../evil");

        assertEquals(ExitCodes.SUCCESS, agent.run(agent.update()));

        assertFalse(Files.exists(agent.paths().taskRegistryFile()));
    }

    @Test
    void update_neverTouchesTheConfigDir() throws Exception {
        agent.customerConfig();
        List<String> before = AgentLayout.tree(agent.configDir);
        oldVersionWithTasks("1.0.9200.0", "[]");
        agent.env.put(UpdateCommand.UPDATING_FROM, "1.0.9200.0");

        agent.run(agent.update());

        assertEquals(before, AgentLayout.tree(agent.configDir));
    }
}

package io.vmsnapshot.lifecycle;

import io.vmsnapshot.report.TaskRecord;
import io.vmsnapshot.report.TaskRegistry;
import io.vmsnapshot.worker.WorkerLock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.io.TempDir;

class UninstallCommandTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final AgentLayout agent = new AgentLayout(fs.getPath("/var/lib/waagent"));

    @AfterEach
    void tearDown() throws IOException {
        fs.close();
    }

    @Test
    void uninstall_removesTheStateFolderAndMrseqOnly() throws Exception {
        agent.customerConfig();
        List<String> config = AgentLayout.tree(agent.configDir);
        new TaskRegistry(agent.paths().taskRegistryFile()).put(new TaskRecord("t", 1,
                io.vmsnapshot.status.StatusType.SUCCESS, 0, "ok", "en-US", 1));
        WorkerLock.tryAcquire(agent.paths().workerLockFile(), 1).orElseThrow().close();
        Files.writeString(agent.base.resolve("mrseq"), "1");
        Files.writeString(agent.statusFolder.resolve("1.status"), "[]");

        assertEquals(ExitCodes.SUCCESS, agent.run(agent.uninstall()));

        assertFalse(Files.exists(agent.paths().stateDir()));
        assertFalse(Files.exists(agent.base.resolve("mrseq")));
        assertTrue(Files.exists(agent.statusFolder.resolve("1.status")));
        assertTrue(Files.exists(agent.base.resolve("HandlerEnvironment.json")));
        assertEquals(config, AgentLayout.tree(agent.configDir));
    }

    @Test
    void uninstall_withoutState_succeeds() throws Exception {
        assertEquals(ExitCodes.SUCCESS, agent.run(agent.uninstall()));
    }

    @Test
    void uninstall_deletesASymlinkInTheStateButNotWhereItPoints(@TempDir Path dir) throws Exception {
        AgentLayout disk = new AgentLayout(dir.resolve("waagent"));
        Path precious = Files.createDirectories(dir.resolve("customer"));
        Files.writeString(precious.resolve("data"), "keep");
        Files.createDirectories(disk.paths().stateDir());
        Files.createSymbolicLink(disk.paths().stateDir().resolve("link"), precious);

        assertEquals(ExitCodes.SUCCESS, disk.run(disk.uninstall()));

        assertFalse(Files.exists(disk.paths().stateDir()));
        assertEquals("keep", Files.readString(precious.resolve("data")));
    }
}

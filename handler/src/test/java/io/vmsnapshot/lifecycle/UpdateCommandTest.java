package io.vmsnapshot.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.error.ErrorCode;
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

    /**
     * The Python extension's version directory as it leaves it (VMBackup/main): its entry point, the
     * last task id in its working directory, mrseq, and status files with the older ones renamed;
     * the agent has copied mrseq and status/ into ours, as it does before update.
     */
    private AgentLayout pythonExtension(String lastTaskId, String mrseq) throws IOException {
        AgentLayout old = new AgentLayout(agent.lib, "1.0.9225.0");
        Files.createDirectories(old.base.resolve("main"));
        Files.writeString(old.base.resolve("main/handle.py"), "# upstream's entry point\n");
        Files.writeString(old.base.resolve(PythonExtensionState.TASK_IDENTITY_FILE), lastTaskId);
        Files.writeString(old.base.resolve("mrseq"), mrseq);
        String upstreamStatus = "[{\"version\": \"1.0.9225.0\", \"timestampUTC\": \"2026-12-01T02:00:00Z\", \"status\":"
                + " {\"name\": \"VMSnapshotLinux\", \"operation\": \"Enable\", \"status\": \"success\", \"code\": \"1\","
                + " \"formattedMessage\": {\"lang\": \"en-US\", \"message\": \"Enable Succeeded\"}, \"substatus\": []}}]";
        for (Path folder : List.of(old.statusFolder, agent.statusFolder)) {
            Files.writeString(folder.resolve(mrseq + ".status"), upstreamStatus);
            Files.writeString(folder.resolve("4_status"), upstreamStatus);
            Files.writeString(folder.resolve("tempStatusFile.status"), upstreamStatus);
        }
        Files.writeString(old.configFolder.resolve("4_settings"), "{}");
        Files.writeString(agent.base.resolve("mrseq"), mrseq);
        agent.env.put(UpdateCommand.UPDATING_FROM, "1.0.9225.0");
        return old;
    }

    private int enable(int seq, String taskId) throws Exception {
        agent.settings(seq, AgentLayout.publicSettings("snapshot", taskId), AgentLayout.protectedWithBlobs("tok-1"));
        agent.env.put("ConfigSequenceNumber", Integer.toString(seq));
        return agent.run(agent.enable());
    }

    @Test
    void update_fromThePythonExtension_theSameSequenceNumberIsNotRunAgain() throws Exception {
        pythonExtension("task-py", "5");

        assertEquals(ExitCodes.SUCCESS, agent.run(agent.update()));
        assertEquals(ExitCodes.SUCCESS, enable(5, "task-py"));

        assertEquals(List.of(), agent.launched);
        assertEquals("1", agent.status(5).get("code").asText(), "the Python extension's status stays the agent's");
    }

    @Test
    void update_fromThePythonExtension_itsLastTaskRepeatedWithANewSequenceNumberIsAlreadyProcessed() throws Exception {
        pythonExtension("task-py", "5");

        agent.run(agent.update());
        assertEquals(ExitCodes.SUCCESS, enable(6, "task-py"));

        assertEquals(List.of(), agent.launched);
        assertEquals(ErrorCode.SUCCESS_ALREADY_PROCESSED_INPUT.code(), agent.status(6).get("code").asInt());
        assertTrue(agent.status(6).get("formattedMessage").get("message").asText()
                .contains("The previous version of the extension (1.0.9225.0) ran task task-py."));
    }

    @Test
    void update_fromThePythonExtension_theNextSequenceNumberRunsDespiteItsLeftovers() throws Exception {
        pythonExtension("task-py", "5");

        agent.run(agent.update());
        assertEquals(ExitCodes.SUCCESS, enable(6, "task-new"));

        assertEquals(List.of(6), agent.launched);
        assertEquals("6", Files.readString(agent.base.resolve("mrseq")));
        assertTrue(Files.exists(agent.statusFolder.resolve("4_status")), "its renamed status files are left alone");
    }

    /** Upstream writes mrseq -1 when it finds the VM restored elsewhere: the next enable must run. */
    @Test
    void update_fromThePythonExtensionWithMrseqMinusOne_runsTheNextEnable() throws Exception {
        pythonExtension("task-py", "-1");

        agent.run(agent.update());
        assertEquals(ExitCodes.SUCCESS, enable(0, "task-new"));

        assertEquals(List.of(0), agent.launched);
    }

    @Test
    void update_whenTheAgentDidNotCopyMrseq_carriesItSoTheLastSequenceNumberIsNotRunAgain() throws Exception {
        pythonExtension("task-py", "5");
        Files.delete(agent.base.resolve("mrseq"));

        agent.run(agent.update());

        assertEquals("5", Files.readString(agent.base.resolve("mrseq")));
    }

    @Test
    void update_fromThePythonExtension_aTaskIdentityThatIsNoTaskIdIsNotTrusted() throws Exception {
        pythonExtension("two words\n", "5");

        agent.run(agent.update());

        assertFalse(Files.exists(agent.paths().taskRegistryFile()));
    }
}

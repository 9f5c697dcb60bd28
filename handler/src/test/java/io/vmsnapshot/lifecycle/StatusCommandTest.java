package io.vmsnapshot.lifecycle;

import io.vmsnapshot.report.TaskRecord;
import io.vmsnapshot.report.TaskRegistry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.status.StatusType;
import java.io.IOException;
import java.nio.file.FileSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusCommandTest {
    private static final long AT = 1_740_823_200_000L;
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final AgentLayout agent = new AgentLayout(fs.getPath("/var/lib/waagent"));

    @AfterEach
    void tearDown() throws IOException {
        fs.close();
    }

    private void remember(StatusType status, int code, String message, String locale) throws IOException {
        new TaskRegistry(agent.paths().taskRegistryFile()).put(new TaskRecord("older", 1, StatusType.SUCCESS, 0, "ok",
                "en-US", 1));
        new TaskRegistry(agent.paths().taskRegistryFile()).put(new TaskRecord("task-7", 7, status, code, message,
                locale, AT));
    }

    @Test
    void status_beforeAnyBackup_saysSo() throws Exception {
        assertEquals(ExitCodes.SUCCESS, agent.run(agent.status()));
        assertEquals("No backup has run on this VM since the extension was installed.\n", agent.printed());
    }

    @Test
    void status_afterAFailedBackup_describesItAndWhatToDoInEnglish() throws Exception {
        remember(StatusType.ERROR, 300, "The pre-script exited with 1.", "en-US");

        agent.run(agent.status());

        assertEquals("Last backup: task task-7 (sequence number 7), failed at 2025-03-01T10:00:00Z.\n"
                + "Outcome: Pre-ScriptExecutionFailed. The pre-script exited with 1.\n"
                + "What to do: Look at the script's failure logs to fix it.\n", agent.printed());
    }

    @Test
    void status_afterAFailedBackupInChinese_usesTheRequestsLanguage() throws Exception {
        remember(StatusType.ERROR, 300, "预脚本返回 1。", "zh-CN");

        agent.run(agent.status());

        String[] lines = agent.printed().split("\n");
        assertEquals("上次备份:任务 task-7(序列号 7),2025-03-01T10:00:00Z 失败。", lines[0]);
        assertEquals("结果:Pre-ScriptExecutionFailed。预脚本返回 1。", lines[1]);
        assertEquals(true, lines[2].startsWith("建议的操作: "), lines[2]);
        assertEquals(3, lines.length);
    }

    @Test
    void status_afterASuccess_hasNothingToDo() throws Exception {
        remember(StatusType.SUCCESS, 0, "Enable Succeeded with App Consistent Snapshot.", "en-US");

        agent.run(agent.status());

        assertEquals("Last backup: task task-7 (sequence number 7), finished successfully at 2025-03-01T10:00:00Z.\n"
                + "Outcome: success_appconsistent. Enable Succeeded with App Consistent Snapshot.\n", agent.printed());
    }

    @Test
    void status_whileRunning_saysSoWithoutAdvice() throws Exception {
        remember(StatusType.TRANSITIONING, 4, "Transitioning state in extension.", "en-US");

        agent.run(agent.status());

        assertFalse(agent.printed().contains("What to do"), agent.printed());
        assertEquals(true, agent.printed().contains("still running at"), agent.printed());
    }
}

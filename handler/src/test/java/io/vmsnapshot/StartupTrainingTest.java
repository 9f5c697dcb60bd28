package io.vmsnapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupTrainingTest {
    @TempDir
    Path tmp;

    @Test
    void run_walksInstallEnableStatusAndDisable_inItsOwnSandbox_andGivesStderrBack() throws Exception {
        PrintStream stderr = System.err;
        Path scratch = tmp.resolve("training");

        int exitCode = new StartupTraining().run(List.of(scratch.toString()));

        assertEquals(0, exitCode);
        assertSame(stderr, System.err);
        Path packageRoot = scratch.resolve("waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-training");
        assertTrue(Files.readString(packageRoot.resolve("state/tasks.json")).contains("\"cds-training\""),
                "enable accepted the request and recorded its task");
        assertTrue(Files.readString(packageRoot.resolve("status/0.status")).contains("\"operation\":\"Enable\""),
                "disable reported the interrupted task");
        assertTrue(Files.readString(packageRoot.resolve("config/0.settings")).contains("\"commandToExecute\""));
    }

    @Test
    void run_intoAnExistingDirectory_refusesRatherThanTrainOnLeftovers() throws Exception {
        Files.createDirectories(tmp.resolve("training"));

        assertEquals(2, new StartupTraining().run(List.of(tmp.resolve("training").toString())));
    }

    @Test
    void run_withoutTheScratchDirectory_isAUsageError() {
        assertEquals(2, new StartupTraining().run(List.of()));
    }
}

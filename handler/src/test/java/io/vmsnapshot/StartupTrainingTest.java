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
    void run_walksTheCommandsAndTheWorkersWholeBackup_inItsOwnSandbox_andGivesStderrBack() throws Exception {
        PrintStream stderr = System.err;
        Path scratch = tmp.resolve("training");

        int exitCode = new StartupTraining().run(List.of(scratch.toString(), "worker"));

        assertEquals(0, exitCode);
        assertSame(stderr, System.err);
        Path packageRoot = scratch.resolve("waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-training");
        String status = Files.readString(packageRoot.resolve("status/0.status"));
        // The worker's backup snapshotted both disks in the training's own loopback storage (file-system
        // consistent here: a unit test has no packaged plugin host), and uploaded its status there.
        assertTrue(status.contains("\"operation\":\"Enable\"") && status.contains("\"status\":\"success\""), status);
        assertTrue(status.contains("2026-01-01T00:00:00"), "the snapshot time the training storage answers:\n" + status);
    }

    @Test
    void run_ofTheLifecycleCommands_walksThemAllWithExitZero() {
        assertEquals(0, new StartupTraining().run(List.of(tmp.resolve("training").toString(), "lifecycle")));
    }

    @Test
    void run_intoAnExistingDirectory_refusesRatherThanTrainOnLeftovers() throws Exception {
        Files.createDirectories(tmp.resolve("training"));

        assertEquals(2, new StartupTraining().run(List.of(tmp.resolve("training").toString(), "worker")));
    }

    @Test
    void run_withoutTheScratchDirectoryOrTheTraining_isAUsageError() {
        assertEquals(2, new StartupTraining().run(List.of()));
        assertEquals(2, new StartupTraining().run(List.of(tmp.resolve("training").toString(), "all")));
    }
}

package io.vmsnapshot.e2e.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.fixtures.Command;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile customer scripts (issue 7 §4), run through the unzipped package's {@code bin/handle.sh
 * dry-run}, which runs the pre and post phases exactly as a backup does. Each ends within its
 * timeout with the right outcome, and nothing it started is left running when it timed out. Each
 * script sleeps for a length of its own, by which its processes are found in /proc.
 */
class ScriptFaultTest {
    private static final Duration DRY_RUN_LIMIT = Duration.ofSeconds(120);
    /**
     * What a loaded machine may add to a phase's own time (starting the script, the kill). The
     * bounds below only tell "ended at its timeout" from "waited for a 97 s process"; how fast is
     * for the benchmarks.
     */
    private static final long SLACK_MILLIS = 5_000;

    private PackageSandbox box;

    @BeforeEach
    void unzip() throws IOException {
        box = PackageSandbox.create();
        box.script("post.sh", "echo post done");
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (box == null) {
            return;
        }
        try {
            for (String marker : List.of("97.01", "97.02", "97.03", "97.04")) {
                Processes.kill(box.root(), marker);
            }
        } finally {
            box.close();
        }
    }

    private PackageSandbox.Result dryRun(String preBody, int timeoutSeconds) throws Exception {
        Path pre = box.script("pre.sh", preBody);
        box.pluginConfig(pre.toString(), box.scripts().resolve("post.sh").toString(), timeoutSeconds);
        return box.handle("dry-run", DRY_RUN_LIMIT);
    }

    /** The dry-run table's row for a phase: plugin, phase, attempts, exit, duration ms, outcome. */
    private static String[] row(PackageSandbox.Result result, String phase) {
        return result.stdout().lines().map(line -> line.trim().split("\\s+"))
                .filter(cells -> cells.length == 6 && cells[1].equals(phase)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + phase + " row in\n" + result));
    }

    private static long millis(String[] row) {
        return Long.parseLong(row[4]);
    }

    @Test
    void dryRun_scriptForkingADaemonThatKeepsStdoutOpen_endsAtOnceWithSuccess() throws Exception {
        PackageSandbox.Result result = dryRun("sleep 97.01 &\necho started\nexit 0", 10);

        String[] pre = row(result, "pre");
        assertEquals("success", pre[5], result.toString());
        assertTrue(millis(pre) < SLACK_MILLIS, "not held up by the daemon's open stdout: " + millis(pre) + " ms");
        assertEquals("success", row(result, "post")[5]);
        // By design the daemon is the customer's: a script that exits is done, and what it started on
        // purpose (a post-script restarting a service) must not be killed. Only a timeout kills.
        assertEquals(1, Processes.appeared(box.root(), "97.01").size(), "the customer's daemon is left alone");
    }

    @Test
    void dryRun_hungScriptWithChildrenThatEscapedItsGroupAndSession_timesOutAndNothingIsLeft() throws Exception {
        PackageSandbox.Result result = dryRun("sleep 97.02 &\nsetsid sleep 97.02 &\n(setsid sleep 97.02 &)\n"
                + "echo hanging\nsleep 97.02", 2);

        String[] pre = row(result, "pre");
        assertEquals("Pre-ScriptTimeout", pre[5], result.toString());
        assertTrue(millis(pre) < 2000 + 3000 + SLACK_MILLIS, "ends at the timeout plus the kill grace: " + millis(pre));
        assertEquals(List.of(), Processes.survivors(box.root(), "97.02"), "a child, a setsid child and a double-forked one");
        assertTrue(result.stdout().contains("Pre-ScriptTimeout (308)"), result.stdout());
    }

    @Test
    void dryRun_scriptPrinting100MiB_succeeds_andLogsAtMost16MiBOfIt() throws Exception {
        PackageSandbox.Result result = dryRun("head -c 104857600 /dev/zero | tr '\\000' a | fold -w 100\n"
                + "echo last-line", 120);

        assertEquals("success", row(result, "pre")[5], result.toString());
        long logBytes = result.stderr().getBytes(StandardCharsets.UTF_8).length;
        assertTrue(logBytes < 48L * 1024 * 1024, "the log keeps at most 16 MiB of script output: " + logBytes);
        assertTrue(result.stderr().contains("script-output-truncated"), "the cut is logged");
    }

    @Test
    void dryRun_scriptPrintingBinaryGarbageAndFailing_fails300WithItsLastLinesInTheReport() throws Exception {
        PackageSandbox.Result result = dryRun("head -c 1048576 /dev/urandom\nprintf '\\377\\376\\000\\033[31m'\n"
                + "exit 3", 30);

        assertEquals("Pre-ScriptExecutionFailed", row(result, "pre")[5], result.toString());
        assertTrue(result.stdout().contains("Pre-ScriptExecutionFailed (300)"), result.stdout());
        assertTrue(result.stdout().contains("exit code 3"), result.stdout());
    }

    @Test
    void dryRun_scriptReadingStdin_getsEndOfFileAtOnce() throws Exception {
        PackageSandbox.Result result = dryRun("cat\nread line\necho \"read returned $?\"\nexit 0", 10);

        String[] pre = row(result, "pre");
        assertEquals("success", pre[5], result.toString());
        assertTrue(millis(pre) < SLACK_MILLIS, "stdin is /dev/null, nothing waits for input: " + millis(pre));
    }

    @Test
    void dryRun_lastLineWithoutNewline_isStillReported() throws Exception {
        PackageSandbox.Result result = dryRun("echo first\nprintf 'last words without newline'\nexit 4", 10);

        assertEquals("Pre-ScriptExecutionFailed", row(result, "pre")[5], result.toString());
        assertTrue(result.stdout().contains("first | last words without newline"), result.stdout());
    }

    @Test
    void dryRun_scriptWithWindowsLineEnds_fails300SayingSo() throws Exception {
        Path pre = PackageSandbox.file(box.scripts().resolve("pre.sh"), "#!/bin/sh\r\necho hi\r\nexit 0\r\n",
                "rwx------");
        box.pluginConfig(pre.toString(), box.scripts().resolve("post.sh").toString(), 10);

        PackageSandbox.Result result = box.handle("dry-run", DRY_RUN_LIMIT);

        assertEquals("Pre-ScriptExecutionFailed", row(result, "pre")[5], result.toString());
        assertTrue(result.stdout().contains("has Windows line ends (CRLF)"), result.stdout());
    }

    @Test
    void dryRun_outputWithWindowsLineEnds_isReportedWithoutCarriageReturns() throws Exception {
        PackageSandbox.Result result = dryRun("printf 'one\\r\\ntwo\\r\\n'\nexit 5", 10);

        assertTrue(result.stdout().contains("exit code 5): one | two\n"), result.stdout());
    }

    /**
     * A script blocked writing to a frozen file system sits in the kernel (D state) where not even
     * SIGKILL reaches it: the phase still ends at the timeout, and the report says something may
     * still run. The file system is a loop mount of the test's own.
     */
    @Test
    void dryRun_scriptStuckInTheKernel_endsAtTheTimeoutAndTheReportSaysItMayStillRun() throws Exception {
        try (LoopMount loop = LoopMount.create(LoopMount.FsType.EXT4)) {
            Path target = loop.mountPoint().resolve("blocked");
            Command.check(30, "fsfreeze", "-f", loop.mountPoint().toString());
            try {
                PackageSandbox.Result result = dryRun("echo writing\nsleep 97.04 &\necho data > " + target
                        + "\necho never", 2);

                String[] pre = row(result, "pre");
                assertEquals("Pre-ScriptTimeout", pre[5], result.toString());
                assertTrue(millis(pre) < 2000 + 3000 + SLACK_MILLIS, "bounded although unkillable: " + millis(pre));
                assertTrue(result.stdout().contains("survived SIGKILL"), result.stdout());
                assertEquals(List.of(), Processes.survivors(box.root(), "97.04"), "what could be killed was killed");
            } finally {
                Command.check(30, "fsfreeze", "-u", loop.mountPoint().toString());
            }
        }
    }
}

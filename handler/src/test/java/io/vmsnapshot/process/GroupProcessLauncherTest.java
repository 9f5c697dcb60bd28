package io.vmsnapshot.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupProcessLauncherTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

    @TempDir
    Path dir;

    /**
     * A timeout the script's first lines (writing its children's pids, setting a trap) always beat,
     * even on a loaded machine where starting a shell can take a few hundred milliseconds.
     */
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(1500);

    private final GroupProcessLauncher launcher = GroupProcessLauncher.system();
    private final ProcTable procs = new ProcTable(Path.of("/proc"));

    private ProcessResult run(Duration timeout, LineSink sink, String... argv) throws Exception {
        RunningScript running = launcher.start(new ProcessSpec(List.of(argv), dir, ENV, timeout,
                Duration.ofSeconds(2), sink));
        return running.completion().get(30, TimeUnit.SECONDS);
    }

    private ProcessResult sh(String script) throws Exception {
        return run(Duration.ofSeconds(20), LineSink.DISCARD, "/bin/sh", "-c", script);
    }

    @Test
    void start_trivialScript_reportsExitZeroAndOutput() throws Exception {
        ProcessResult result = sh("echo hello; echo oops >&2");

        assertEquals(0, result.exitCode());
        assertNull(result.signal());
        assertFalse(result.timedOut());
        assertEquals(List.of("hello", "oops"), result.lastLines());
        assertTrue(result.succeeded());
    }

    @Test
    void start_nonZeroExit_reportsTheExitCode() throws Exception {
        assertEquals(3, sh("exit 3").exitCode());
    }

    @Test
    void start_scriptKilledBySignal_reportsTheSignal() throws Exception {
        ProcessResult result = sh("kill -9 $$");

        assertNull(result.exitCode());
        assertEquals(9, result.signal());
    }

    @Test
    void start_child_leadsItsOwnSessionAndGroup() throws Exception {
        ProcessResult result = sh("cut -d' ' -f5,6 /proc/$$/stat; echo $$");

        String[] groupAndSession = result.lastLines().get(0).split(" ");
        String pid = result.lastLines().get(1);
        assertEquals(pid, groupAndSession[0]);
        assertEquals(pid, groupAndSession[1]);
    }

    @Test
    void start_environmentAndStdin_areExactlyWhatTheSpecSays() throws Exception {
        ProcessResult result = sh("env | sort; cat; echo end");

        List<String> lines = result.lastLines();
        assertEquals(List.of("PATH=/usr/bin:/bin", "PWD=" + dir), lines.subList(0, 2));
        assertTrue(lines.get(2).matches(GroupProcessLauncher.MARKER_VARIABLE + "=[0-9a-f]{16}"), lines.toString());
        assertEquals(List.of("end"), lines.subList(3, lines.size()));
    }

    @Test
    void start_params_arePassedAsSeparateArgvWithoutInterpolation() throws Exception {
        ProcessResult result = run(Duration.ofSeconds(10), LineSink.DISCARD, "/bin/sh", "-c",
                "for a in \"$@\"; do echo \"[$a]\"; done", "sh", "$(touch x)", "a b", "*");

        assertEquals(List.of("[$(touch x)]", "[a b]", "[*]"), result.lastLines());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void timeout_killsTheWholeGroupIncludingEscapedChildren() throws Exception {
        ProcessResult result = run(SHORT_TIMEOUT, LineSink.DISCARD, "/bin/sh", "-c",
                "sleep 60 & echo $! > child.pid; /usr/bin/setsid sleep 60 & echo $! > escaped.pid; sleep 60");

        assertTrue(result.timedOut());
        assertEquals(15, result.signal());
        assertFalse(result.leftovers());
        for (String file : List.of("child.pid", "escaped.pid")) {
            long pid = Long.parseLong(Files.readString(dir.resolve(file)).strip());
            assertFalse(procs.read(pid).map(ProcTable.Entry::isLive).orElse(false), file + " " + pid + " still runs");
        }
    }

    @Test
    void timeout_killsADoubleForkedChildThatLeftTheSessionAndTheTree() throws Exception {
        // The subshell exits at once: its setsid'ed child is re-parented and in a session of its own.
        ProcessResult result = run(SHORT_TIMEOUT, LineSink.DISCARD, "/bin/sh", "-c",
                "(/usr/bin/setsid sleep 60 & echo $! > escaped.pid) ; sleep 60");

        assertTrue(result.timedOut());
        long pid = Long.parseLong(Files.readString(dir.resolve("escaped.pid")).strip());
        assertFalse(procs.read(pid).map(ProcTable.Entry::isLive).orElse(false), "escaped " + pid + " still runs");
    }

    @Test
    void timeout_scriptIgnoringSigterm_isKilledAfterTheGrace() throws Exception {
        RunningScript running = launcher.start(new ProcessSpec(List.of("/bin/sh", "-c",
                "trap '' TERM; echo ready; while :; do sleep 0.05; done"), dir, ENV, SHORT_TIMEOUT,
                Duration.ofMillis(200), LineSink.DISCARD));
        ProcessResult result = running.completion().get(10, TimeUnit.SECONDS);

        assertTrue(result.timedOut());
        assertEquals(9, result.signal());
        assertFalse(procs.read(running.pid()).map(ProcTable.Entry::isLive).orElse(false));
    }

    @Test
    void output_tenMebibytes_isDrainedAndTheScriptCompletesNormally() throws Exception {
        AtomicLong bytes = new AtomicLong();
        ProcessResult result = run(Duration.ofSeconds(20), line -> bytes.addAndGet(line.length() + 1), "/bin/sh",
                "-c", "head -c 10485760 /dev/zero | tr '\\0' 'x' | fold -w 1023");

        assertEquals(0, result.exitCode());
        assertEquals(10L * 1024 * 1024 + 10L * 1024 * 1024 / 1023 + 1, bytes.get());
    }

    @Test
    void completion_daemonKeepingStdoutOpen_doesNotDelayTheResult() throws Exception {
        long start = System.nanoTime();
        ProcessResult result = sh("(sleep 30; echo late) & echo $! > daemon.pid; echo started");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(0, result.exitCode());
        assertEquals(List.of("started"), result.lastLines());
        // Far below the daemon's 30 s, with room for a slow machine: the result did not wait for it.
        assertTrue(millis < 15_000, "took " + millis + " ms");
        ProcessHandle.of(Long.parseLong(Files.readString(dir.resolve("daemon.pid")).strip()))
                .ifPresent(ProcessHandle::destroyForcibly);
    }

    @Test
    void terminate_killsARunningScriptWithoutCallingItATimeout() throws Exception {
        RunningScript running = launcher.start(new ProcessSpec(List.of("/bin/sleep", "60"), dir, ENV,
                Duration.ofSeconds(60), Duration.ofSeconds(1), LineSink.DISCARD));
        running.terminate();
        ProcessResult result = running.completion().get(10, TimeUnit.SECONDS);

        assertFalse(result.timedOut());
        assertEquals(15, result.signal());
    }

    @Test
    void output_linesGoToTheSinkInOrder() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        run(Duration.ofSeconds(10), lines::add, "/bin/sh", "-c", "for i in 1 2 3; do echo $i; done");

        assertEquals(List.of("1", "2", "3"), lines);
    }
}

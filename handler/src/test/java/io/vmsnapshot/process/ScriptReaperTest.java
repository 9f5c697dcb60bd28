package io.vmsnapshot.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: what a dead worker's script left, killed from another "start" that only has its trace. */
class ScriptReaperTest {
    private static final Duration GRACE = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private final GroupProcessLauncher launcher = GroupProcessLauncher.system();
    private final ScriptReaper reaper = ScriptReaper.system();
    private final ProcTable procs = new ProcTable(Path.of("/proc"));
    private final List<Long> started = new ArrayList<>();

    @AfterEach
    void killEverythingLeft() {
        started.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    private RunningScript start(String marker, String script) throws IOException {
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/usr/bin:/bin"));
        env.put(GroupProcessLauncher.MARKER_VARIABLE, marker);
        RunningScript running = launcher.start(new ProcessSpec(List.of("/bin/sh", "-c", script), dir, env,
                Duration.ofSeconds(120), Duration.ofSeconds(1), LineSink.DISCARD));
        started.add(running.pid());
        return running;
    }

    /** The pid a script wrote to a file, once it is there (a loaded machine may take a while). */
    private long pidIn(String file) throws Exception {
        Path path = dir.resolve(file);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(path) ? Files.readString(path).strip() : "";
            if (!text.isEmpty()) {
                long pid = Long.parseLong(text);
                started.add(pid);
                return pid;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(file + " never written");
    }

    private boolean alive(long pid) {
        return procs.read(pid).map(ProcTable.Entry::isLive).orElse(false);
    }

    @Test
    void trace_ofAScriptJustStarted_recordsItsPidAndStartTime() throws Exception {
        String marker = GroupProcessLauncher.newMarker();
        RunningScript running = start(marker, "sleep 60");

        ProcessTrace trace = reaper.trace(marker, running.pid());

        assertEquals(new ProcessTrace(marker, running.pid(), procs.read(running.pid()).orElseThrow().startTicks()),
                trace);
    }

    @Test
    void trace_ofAProcessWithoutTheMarker_isTheMarkerAlone() {
        String marker = GroupProcessLauncher.newMarker();

        assertEquals(ProcessTrace.beforeStart(marker), reaper.trace(marker, ProcessHandle.current().pid()));
    }

    @Test
    void reap_scriptStillRunning_killsItsGroupAndEverythingItStarted() throws Exception {
        String marker = GroupProcessLauncher.newMarker();
        RunningScript running = start(marker, "sleep 60 & echo $! > child.pid; env -i /bin/sleep 60 & echo $! >"
                + " clean.pid; sleep 60");
        ProcessTrace trace = reaper.trace(marker, running.pid());
        long child = pidIn("child.pid");
        long clean = pidIn("clean.pid");

        ScriptReaper.Reaped reaped = reaper.reap(trace, GRACE).get(30, TimeUnit.SECONDS);

        assertFalse(reaped.survivors());
        assertTrue(reaped.killed() >= 3, reaped.toString());
        for (long pid : List.of(running.pid(), child, clean)) {
            assertFalse(alive(pid), pid + " still runs");
        }
    }

    @Test
    void reap_pidNowUsedByAnotherProcess_killsNeitherItNorItsGroup() throws Exception {
        RunningScript unrelated = start(GroupProcessLauncher.newMarker(), "sleep 60 & echo $! > child.pid; sleep 60");
        long child = pidIn("child.pid");
        long ticks = procs.read(unrelated.pid()).orElseThrow().startTicks();
        // The trace of an earlier script that had this pid: another start time, another marker.
        ProcessTrace stale = new ProcessTrace(GroupProcessLauncher.newMarker(), unrelated.pid(), ticks - 1);

        ScriptReaper.Reaped reaped = reaper.reap(stale, GRACE).get(30, TimeUnit.SECONDS);

        assertEquals(new ScriptReaper.Reaped(0, false), reaped);
        assertTrue(alive(unrelated.pid()), "the leader that reused the pid");
        assertTrue(alive(child), "its group");
    }

    @Test
    void reap_scriptAlreadyEnded_stillKillsWhatCarriesItsMarker() throws Exception {
        String marker = GroupProcessLauncher.newMarker();
        RunningScript running = start(marker, "(/usr/bin/setsid sleep 60 & echo $! > escaped.pid); exit 0");
        ProcessTrace trace = reaper.trace(marker, running.pid());
        long escaped = pidIn("escaped.pid");
        running.completion().get(30, TimeUnit.SECONDS);

        ScriptReaper.Reaped reaped = reaper.reap(trace, GRACE).get(30, TimeUnit.SECONDS);

        assertEquals(new ScriptReaper.Reaped(1, false), reaped);
        assertFalse(alive(escaped), "escaped " + escaped + " still runs");
    }
}

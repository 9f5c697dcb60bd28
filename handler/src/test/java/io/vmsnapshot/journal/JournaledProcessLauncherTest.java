package io.vmsnapshot.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.process.GroupProcessLauncher;
import io.vmsnapshot.process.LineSink;
import io.vmsnapshot.process.ProcessLauncher;
import io.vmsnapshot.process.ProcessSpec;
import io.vmsnapshot.process.ProcessTrace;
import io.vmsnapshot.process.RunningScript;
import io.vmsnapshot.process.ScriptReaper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournaledProcessLauncherTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-08-06T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path state;

    private final GroupProcessLauncher real = GroupProcessLauncher.system();
    private final ScriptReaper reaper = ScriptReaper.system();

    private static ProcessSpec spec(Path dir, String script) {
        return new ProcessSpec(List.of("/bin/sh", "-c", script), dir, Map.of("PATH", "/usr/bin:/bin"),
                Duration.ofSeconds(60), Duration.ofSeconds(1), LineSink.DISCARD);
    }

    @Test
    void start_journalsTheMarkerBeforeTheStartAndThePidWithItsStartTimeAfter() throws Exception {
        BackupJournal journal = new BackupJournal(state, CLOCK);
        journal.begin(1, "t", "", 1);
        List<List<ProcessTrace>> seenAtStart = new ArrayList<>();
        List<String> markers = new ArrayList<>();
        ProcessLauncher watching = spec -> {
            seenAtStart.add(journal.read().orElseThrow().scripts());
            markers.add(spec.env().get(GroupProcessLauncher.MARKER_VARIABLE));
            return real.start(spec);
        };

        RunningScript running = new JournaledProcessLauncher(watching, reaper, journal).start(spec(state, "sleep 60"));
        try {
            String marker = markers.get(0);
            assertEquals(List.of(List.of(ProcessTrace.beforeStart(marker))), seenAtStart);
            ProcessTrace trace = journal.read().orElseThrow().scripts().get(0);
            assertEquals(List.of(trace), journal.read().orElseThrow().scripts(), "replaced, not added");
            assertEquals(marker, trace.marker());
            assertEquals(running.pid(), trace.pid());
            assertEquals(reaper.trace(marker, running.pid()), trace);
        } finally {
            running.terminate();
            running.completion().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void start_theScriptCarriesTheJournaledMarker() throws Exception {
        BackupJournal journal = new BackupJournal(state, CLOCK);
        journal.begin(1, "t", "", 1);

        RunningScript running = new JournaledProcessLauncher(real, reaper, journal)
                .start(spec(state, "echo \"$" + GroupProcessLauncher.MARKER_VARIABLE + "\""));

        String printed = running.completion().get(30, TimeUnit.SECONDS).lastLines().get(0);
        assertEquals(journal.read().orElseThrow().scripts().get(0).marker(), printed);
    }

    @Test
    void start_withoutABackupInProgress_startsAndWritesNothing() throws Exception {
        BackupJournal journal = new BackupJournal(state, CLOCK);

        RunningScript running = new JournaledProcessLauncher(real, reaper, journal).start(spec(state, "exit 0"));

        assertTrue(running.completion().get(30, TimeUnit.SECONDS).succeeded());
        assertFalse(Files.exists(journal.file()));
    }
}

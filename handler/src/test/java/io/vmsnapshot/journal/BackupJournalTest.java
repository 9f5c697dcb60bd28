package io.vmsnapshot.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.prepost.PhaseResult;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.Precheck;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupJournalTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-08-06T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path state;

    @Test
    void record_appendsEventsThatTheNextProcessReads() {
        BackupJournal journal = new BackupJournal(state, CLOCK);
        journal.begin(3, "t-3", "zh-CN", 99);
        journal.record(JournalRecord.PRE_STARTED);

        JournalRecord read = new BackupJournal(state, CLOCK).read().orElseThrow();

        assertEquals(new JournalRecord(3, "t-3", "zh-CN", 99, "2026-08-06T10:00:00Z",
                List.of(JournalRecord.PRE_STARTED), List.of()), read);
        assertTrue(read.postOwed());
        assertEquals(JournalRecord.PRE_STARTED, read.lastPhase());
    }

    @Test
    void read_unreadableJournal_isEmptyRatherThanAFailure() throws Exception {
        Files.writeString(state.resolve(BackupJournal.FILE_NAME), "{not json");

        assertEquals(Optional.empty(), new BackupJournal(state, CLOCK).read());
    }

    @Test
    void journaledPluginHost_writesEachPhaseStartBeforeItRunsAndItsEndAfter() {
        BackupJournal journal = new BackupJournal(state, CLOCK);
        journal.begin(1, "t", "", 1);
        List<List<String>> seenAtRun = new ArrayList<>();
        PluginHost host = new PluginHost() {
            @Override
            public Precheck precheck() {
                return new Precheck(List.of(), true, true, true, true, List.of());
            }

            @Override
            public PhaseResult run(ScriptPhase phase, ScriptContext context) {
                seenAtRun.add(journal.read().orElseThrow().events());
                return PhaseResult.nothingRun(phase, List.of());
            }
        };
        JournaledPluginHost journaled = new JournaledPluginHost(host, journal);

        journaled.run(ScriptPhase.PRE, new ScriptContext("t", Map.of()));
        journaled.run(ScriptPhase.POST, new ScriptContext("t", Map.of()));

        assertEquals(List.of(List.of(JournalRecord.PRE_STARTED), List.of(JournalRecord.PRE_STARTED,
                JournalRecord.PRE_FINISHED, JournalRecord.POST_STARTED)), seenAtRun);
        assertEquals(List.of(JournalRecord.PRE_STARTED, JournalRecord.PRE_FINISHED, JournalRecord.POST_STARTED,
                JournalRecord.POST_FINISHED), journal.read().orElseThrow().events());
    }
}

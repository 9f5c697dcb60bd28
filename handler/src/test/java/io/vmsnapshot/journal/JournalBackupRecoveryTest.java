package io.vmsnapshot.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.journal.BackupRecovery.RecoveredBackup;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.prepost.Finding;
import io.vmsnapshot.prepost.PhaseResult;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.Precheck;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import io.vmsnapshot.prepost.ScriptResult;
import io.vmsnapshot.process.GroupProcessLauncher;
import io.vmsnapshot.process.LineSink;
import io.vmsnapshot.process.ProcessLauncher;
import io.vmsnapshot.process.ProcessSpec;
import io.vmsnapshot.process.ProcessTrace;
import io.vmsnapshot.process.RunningScript;
import io.vmsnapshot.process.ScriptReaper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal as a worker leaves it when it dies in each phase, and what recovery then does. */
class JournalBackupRecoveryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-08-06T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path state;

    /** A plugin host that records the phases it ran and answers with the given post outcome. */
    private static final class RecordingHost implements PluginHost {
        final List<ScriptContext> posts = new ArrayList<>();
        Optional<ErrorCode> postError = Optional.empty();
        Runnable atRun = () -> { };

        @Override
        public Precheck precheck() {
            return new Precheck(List.of(), true, true, true, true, List.of());
        }

        @Override
        public PhaseResult run(ScriptPhase phase, ScriptContext context) {
            atRun.run();
            posts.add(context);
            ScriptResult script = new ScriptResult("ScriptRunner#0", phase, "/etc/azure/post.sh", 1,
                    postError.isPresent() ? 1 : 0, null, false, 5, List.of("post out"), postError);
            return new PhaseResult(phase, List.of(script),
                    postError.map(e -> List.of(new Finding(e, "/etc/azure/post.sh exit 1"))).orElse(List.of()), true);
        }
    }

    private final RecordingHost host = new RecordingHost();
    private final ScriptReaper reaper = ScriptReaper.system();
    private final List<Long> started = new ArrayList<>();

    @AfterEach
    void killEverythingLeft() {
        started.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    /** A script the dead worker started through its journaled launcher; it sleeps and so does its child. */
    private long startJournaledScript(BackupJournal journal, String script) throws Exception {
        ProcessLauncher launcher = new JournaledProcessLauncher(GroupProcessLauncher.system(), reaper, journal);
        RunningScript running = launcher.start(new ProcessSpec(List.of("/bin/sh", "-c", script), state,
                Map.of("PATH", "/usr/bin:/bin"), Duration.ofSeconds(120), Duration.ofSeconds(1), LineSink.DISCARD));
        started.add(running.pid());
        return running.pid();
    }

    private long pidIn(String file) throws Exception {
        Path path = state.resolve(file);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(path) ? Files.readString(path).strip() : "";
            if (!text.isEmpty()) {
                started.add(Long.parseLong(text));
                return Long.parseLong(text);
            }
            Thread.sleep(20);
        }
        throw new AssertionError(file + " never written");
    }

    /** Alive and not a zombie (an orphan's zombie may linger where init does not reap). */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException gone) {
            return false;
        }
    }

    private BackupJournal journalWith(String... events) {
        BackupJournal journal = new BackupJournal(state, CLOCK);
        journal.begin(7, "task-7", "en-us", 4242);
        for (String event : events) {
            journal.record(event);
        }
        return journal;
    }

    private JournalBackupRecovery recovery(BackupJournal journal, List<Path> thawed) {
        return new JournalBackupRecovery(journal, () -> host, reaper, thawed);
    }

    @Test
    void recover_withoutJournal_isEmptyAndRunsNothing() throws Exception {
        assertEquals(Optional.empty(), recovery(new BackupJournal(state, CLOCK), List.of()).recover());
        assertTrue(host.posts.isEmpty());
    }

    @Test
    void recover_killedDuringPre_runsThePostPhaseOnceWithOutcomeInterrupted() throws Exception {
        JournalBackupRecovery recovery = recovery(journalWith(JournalRecord.PRE_STARTED), List.of());

        RecoveredBackup recovered = recovery.recover().orElseThrow();

        assertEquals(1, host.posts.size());
        assertEquals("interrupted", host.posts.get(0).extraEnv().get(ScriptContext.SNAPSHOT_OUTCOME_ENV));
        assertEquals("task-7", host.posts.get(0).taskId());
        assertEquals(7, recovered.sequenceNumber());
        assertTrue(recovered.detail().contains("ended during phase 'pre-started'"), recovered.detail());
        assertTrue(recovered.detail().contains("the owed post-scripts ran and succeeded"), recovered.detail());
        assertTrue(recovered.detail().contains("no file system was left frozen"), recovered.detail());
    }

    @Test
    void recover_killedWhileFrozen_reportsWhatFreezeRecoveryThawed() throws Exception {
        JournalBackupRecovery recovery = recovery(journalWith(JournalRecord.PRE_STARTED, JournalRecord.PRE_FINISHED,
                JournalRecord.SNAPSHOT_STARTED), List.of(Path.of("/data")));

        RecoveredBackup recovered = recovery.recover().orElseThrow();

        assertTrue(recovered.detail().contains("phase 'snapshot-started'"), recovered.detail());
        assertTrue(recovered.detail().contains("thawed /data"), recovered.detail());
        assertEquals(1, host.posts.size());
    }

    @Test
    void recover_reportsWhatAnEarlierStartThawed_evenIfThatWasAnotherProcess() throws Exception {
        journalWith(JournalRecord.PRE_STARTED, JournalRecord.PRE_FINISHED, JournalRecord.SNAPSHOT_STARTED);
        new BackupJournal(state, CLOCK).noteThawed(List.of(Path.of("/data"), Path.of("/")));

        RecoveredBackup recovered = recovery(new BackupJournal(state, CLOCK), List.of()).recover().orElseThrow();

        assertTrue(recovered.detail().contains("thawed /data, /"), recovered.detail());
        assertTrue(recovered.detail().contains("phase 'snapshot-started'"), recovered.detail());
    }

    @Test
    void recover_killedDuringPost_runsItAgain_andAFailureIsReported() throws Exception {
        host.postError = Optional.of(ErrorCode.POST_SCRIPT_FAILED);
        JournalBackupRecovery recovery = recovery(journalWith(JournalRecord.PRE_STARTED, JournalRecord.PRE_FINISHED,
                JournalRecord.POST_STARTED), List.of());

        RecoveredBackup recovered = recovery.recover().orElseThrow();

        assertEquals(1, host.posts.size());
        assertTrue(recovered.detail().contains("ran and failed: Post-ScriptExecutionFailed"), recovered.detail());
    }

    @Test
    void recover_afterPostFinished_runsNothing() throws Exception {
        JournalBackupRecovery recovery = recovery(journalWith(JournalRecord.PRE_STARTED, JournalRecord.PRE_FINISHED,
                JournalRecord.POST_STARTED, JournalRecord.POST_FINISHED, JournalRecord.FINISHED), List.of());

        RecoveredBackup recovered = recovery.recover().orElseThrow();

        assertTrue(host.posts.isEmpty());
        assertTrue(recovered.finishedBeforeDeath());
        assertTrue(recovered.detail().contains("died before reporting"), recovered.detail());
    }

    @Test
    void recover_withoutPreStarted_owesNoPostScript() throws Exception {
        RecoveredBackup recovered = recovery(journalWith(), List.of()).recover().orElseThrow();

        assertTrue(host.posts.isEmpty());
        assertTrue(recovered.detail().contains("no post-script was owed"), recovered.detail());
    }

    @Test
    void recover_diedAgainBeforeReporting_doesNotRunThePostPhaseTwice() throws Exception {
        JournalBackupRecovery first = recovery(journalWith(JournalRecord.PRE_STARTED), List.of());
        first.recover();

        RecoveredBackup again = recovery(new BackupJournal(state, CLOCK), List.of()).recover().orElseThrow();

        assertEquals(1, host.posts.size());
        assertTrue(again.detail().contains("run by an earlier recovery"), again.detail());
    }

    @Test
    void recover_killedWhileAPreScriptRuns_killsItAndItsChildBeforeThePostPhase() throws Exception {
        BackupJournal dying = journalWith(JournalRecord.PRE_STARTED);
        long script = startJournaledScript(dying, "sleep 60 & sleep 60 & echo $! > child.pid; wait");
        long child = pidIn("child.pid");
        List<Boolean> aliveAtPost = new ArrayList<>();
        host.atRun = () -> aliveAtPost.addAll(List.of(alive(script), alive(child)));

        RecoveredBackup recovered = recovery(new BackupJournal(state, CLOCK), List.of()).recover().orElseThrow();

        assertEquals(List.of(false, false), aliveAtPost, "the pre-script and its child at the post phase");
        assertTrue(recovered.detail().contains("killed 3 script processes the worker left running"),
                recovered.detail());
        assertTrue(recovered.detail().contains("the owed post-scripts ran and succeeded"), recovered.detail());
    }

    @Test
    void recover_scriptsThatHadEnded_areLeftAloneAndNotMentioned() throws Exception {
        BackupJournal dying = journalWith(JournalRecord.PRE_STARTED, JournalRecord.PRE_FINISHED);
        long script = startJournaledScript(dying, "exit 0");
        ProcessHandle.of(script).ifPresent(handle -> handle.onExit().join());

        RecoveredBackup recovered = recovery(new BackupJournal(state, CLOCK), List.of()).recover().orElseThrow();

        assertFalse(recovered.detail().contains("killed"), recovered.detail());
        assertEquals(1, new BackupJournal(state, CLOCK).read().orElseThrow().scripts().size());
    }

    @Test
    void recover_keepsTheDeadWorkersTracesAndAddsItsOwnProgress() throws Exception {
        BackupJournal dying = journalWith(JournalRecord.PRE_STARTED);
        dying.recordScript(ProcessTrace.beforeStart(GroupProcessLauncher.newMarker()));

        recovery(new BackupJournal(state, CLOCK), List.of()).recover();

        JournalRecord after = new BackupJournal(state, CLOCK).read().orElseThrow();
        assertEquals(dying.read().orElseThrow().scripts(), after.scripts());
        assertTrue(after.has(JournalRecord.POST_RECOVERED));
    }

    @Test
    void recover_journalWrittenBeforeScriptsWereJournaled_stillRecovers() throws Exception {
        Files.writeString(state.resolve(BackupJournal.FILE_NAME), "{\"sequenceNumber\":7,\"taskId\":\"task-7\","
                + "\"locale\":\"\",\"workerPid\":1,\"startedAt\":\"2026-08-06T10:00:00Z\",\"events\":[\"pre-started\"]}");

        RecoveredBackup recovered = recovery(new BackupJournal(state, CLOCK), List.of()).recover().orElseThrow();

        assertEquals(7, recovered.sequenceNumber());
        assertEquals(1, host.posts.size());
    }

    @Test
    void done_forgetsTheJournal() throws Exception {
        JournalBackupRecovery recovery = recovery(journalWith(JournalRecord.PRE_STARTED), List.of());
        recovery.recover();

        recovery.done();

        assertFalse(Files.exists(state.resolve(BackupJournal.FILE_NAME)));
        assertEquals(Optional.empty(), recovery.pending());
    }
}

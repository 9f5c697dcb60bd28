package io.vmsnapshot.journal;

import io.vmsnapshot.prepost.Finding;
import io.vmsnapshot.prepost.PhaseResult;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import io.vmsnapshot.process.ProcessTrace;
import io.vmsnapshot.process.ScriptReaper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BackupRecovery} from the journal. First the scripts the dead worker left running are
 * killed (a pre-script still quiescing must not race the post-script, and no script outlives its
 * backup). The post phase is owed when a pre phase started and no post phase finished; it runs
 * with {@code VMSNAPSHOT_SNAPSHOT_OUTCOME=interrupted}, its scripts are journaled like the
 * worker's, and the journal records it before the caller reports, so a second death does not run
 * it twice.
 */
public final class JournalBackupRecovery implements BackupRecovery {
    public static final String SNAPSHOT_OUTCOME = "interrupted";
    /** As for a script of our own that runs past its deadline: SIGTERM, SIGKILL after this. */
    static final Duration KILL_GRACE = Duration.ofSeconds(3);
    /** Beyond the grace: the SIGKILL's settling and a slow /proc scan on a loaded machine. */
    private static final Duration KILL_PATIENCE = KILL_GRACE.plusSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(JournalBackupRecovery.class);

    private final BackupJournal journal;
    private final Supplier<PluginHost> pluginHosts;
    private final ScriptReaper reaper;
    private final List<Path> thawedAtStart;

    /**
     * @param pluginHosts   hosts whose launcher journals the scripts it starts ({@link JournaledProcessLauncher})
     * @param thawedAtStart what this process's freeze recovery thawed before anything else ran
     */
    public JournalBackupRecovery(BackupJournal journal, Supplier<PluginHost> pluginHosts, ScriptReaper reaper,
            List<Path> thawedAtStart) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.pluginHosts = Objects.requireNonNull(pluginHosts, "pluginHosts");
        this.reaper = Objects.requireNonNull(reaper, "reaper");
        this.thawedAtStart = List.copyOf(thawedAtStart);
    }

    @Override
    public Optional<Integer> pending() {
        return journal.read().map(JournalRecord::sequenceNumber);
    }

    @Override
    public Optional<RecoveredBackup> recover() throws IOException {
        Optional<JournalRecord> found = journal.read();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        JournalRecord record = found.get();
        LOG.warn("backup-recovery-start seq={} taskId={} workerPid={} lastPhase={} scripts={}", record.sequenceNumber(),
                record.taskId(), record.workerPid(), record.lastPhase(), record.scripts().size());
        journal.resume(record);
        String leftovers = killLeftovers(record.scripts());
        String post = "no post-script was owed (no pre-script had started)";
        if (record.has(JournalRecord.POST_RECOVERED)) {
            post = "the post-scripts were run by an earlier recovery";
        } else if (record.has(JournalRecord.POST_FINISHED)) {
            post = "the post-scripts had run";
        } else if (record.postOwed()) {
            post = runPost(record);
        }
        List<String> thawedMounts = new ArrayList<>(record.thawedByRecovery());
        thawedAtStart.stream().map(Path::toString).filter(m -> !thawedMounts.contains(m)).forEach(thawedMounts::add);
        String thawed = thawedMounts.isEmpty() ? "no file system was left frozen"
                : "thawed " + String.join(", ", thawedMounts);
        boolean finished = record.has(JournalRecord.FINISHED);
        String detail = (finished
                ? "The backup of sequence number " + record.sequenceNumber() + " finished but its worker (pid "
                        + record.workerPid() + ") died before reporting it."
                : "The backup of sequence number " + record.sequenceNumber() + " was interrupted: its worker (pid "
                        + record.workerPid() + ") ended during phase '" + record.lastPhase() + "'.")
                + " Recovery: " + thawed + leftovers + "; " + post + ".";
        LOG.warn("backup-recovered seq={} detail={}", record.sequenceNumber(), detail);
        return Optional.of(new RecoveredBackup(record.sequenceNumber(), record.taskId(), record.locale(), finished,
                detail));
    }

    private String runPost(JournalRecord record) {
        PhaseResult result = pluginHosts.get().run(ScriptPhase.POST, new ScriptContext(record.taskId(),
                Map.of(ScriptContext.SNAPSHOT_OUTCOME_ENV, SNAPSHOT_OUTCOME)));
        journal.record(JournalRecord.POST_RECOVERED);
        if (result.scripts().isEmpty() && result.errors().isEmpty()) {
            return "no post-script is configured now";
        }
        Optional<Finding> error = result.firstError();
        return error.map(f -> "the owed post-scripts ran and failed: " + f.error().displayName() + ": " + f.detail())
                .orElse("the owed post-scripts ran and succeeded");
    }

    /**
     * Kills, all at once, whatever the journaled scripts left running; an empty text when nothing
     * ran any more. Scripts that already ended are recognised as such by their start time.
     */
    private String killLeftovers(List<ProcessTrace> scripts) {
        if (scripts.isEmpty()) {
            return "";
        }
        List<CompletableFuture<ScriptReaper.Reaped>> kills = scripts.stream()
                .map(trace -> reaper.reap(trace, KILL_GRACE)).toList();
        long deadline = System.nanoTime() + KILL_PATIENCE.toNanos();
        int killed = 0;
        boolean survivors = false;
        for (int i = 0; i < kills.size(); i++) {
            try {
                ScriptReaper.Reaped reaped = kills.get(i).get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                killed += reaped.killed();
                survivors |= reaped.survivors();
            } catch (ExecutionException | TimeoutException e) {
                LOG.error("script-leftovers-kill-unconfirmed marker={} pid={} error={}", scripts.get(i).marker(),
                        scripts.get(i).pid(), e.toString());
                survivors = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                survivors = true;
                break;
            }
        }
        if (killed == 0 && !survivors) {
            return "";
        }
        LOG.warn("script-leftovers-killed processes={} survivors={}", killed, survivors);
        return "; killed " + killed + " script process" + (killed == 1 ? "" : "es") + " the worker left running"
                + (survivors ? " (some survived SIGKILL, stuck in the kernel, and may still run)" : "");
    }

    @Override
    public void done() throws IOException {
        journal.forget();
    }
}

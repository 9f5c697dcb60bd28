package io.vmsnapshot.backup;

import io.vmsnapshot.prepost.Finding;
import io.vmsnapshot.prepost.PhaseResult;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BackupRecovery} from the journal. The post phase is owed when a pre phase started and no
 * post phase finished; it runs with {@code VMSNAPSHOT_SNAPSHOT_OUTCOME=interrupted}, and the journal
 * records it before the caller reports, so a second death does not run it twice.
 */
public final class JournalBackupRecovery implements BackupRecovery {
    public static final String SNAPSHOT_OUTCOME = "interrupted";
    private static final Logger LOG = LoggerFactory.getLogger(JournalBackupRecovery.class);

    private final BackupJournal journal;
    private final Supplier<PluginHost> pluginHosts;
    private final List<Path> thawedAtStart;

    /** @param thawedAtStart what this process's freeze recovery thawed before anything else ran */
    public JournalBackupRecovery(BackupJournal journal, Supplier<PluginHost> pluginHosts, List<Path> thawedAtStart) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.pluginHosts = Objects.requireNonNull(pluginHosts, "pluginHosts");
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
        LOG.warn("backup-recovery-start seq={} taskId={} workerPid={} lastPhase={}", record.sequenceNumber(),
                record.taskId(), record.workerPid(), record.lastPhase());
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
                + " Recovery: " + thawed + "; " + post + ".";
        LOG.warn("backup-recovered seq={} detail={}", record.sequenceNumber(), detail);
        return Optional.of(new RecoveredBackup(record.sequenceNumber(), record.taskId(), record.locale(), finished,
                detail));
    }

    private String runPost(JournalRecord record) {
        PhaseResult result = pluginHosts.get().run(ScriptPhase.POST, new ScriptContext(record.taskId(),
                Map.of(ScriptContext.SNAPSHOT_OUTCOME_ENV, SNAPSHOT_OUTCOME)));
        journal.recordOn(record, JournalRecord.POST_RECOVERED);
        if (result.scripts().isEmpty() && result.errors().isEmpty()) {
            return "no post-script is configured now";
        }
        Optional<Finding> error = result.firstError();
        return error.map(f -> "the owed post-scripts ran and failed: " + f.error().displayName() + ": " + f.detail())
                .orElse("the owed post-scripts ran and succeeded");
    }

    @Override
    public void done() throws IOException {
        journal.clear();
    }
}

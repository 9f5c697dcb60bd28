package io.vmsnapshot.journal;

import io.vmsnapshot.backup.BackupJob;
import io.vmsnapshot.backup.BackupRequest;
import io.vmsnapshot.backup.BackupResult;
import io.vmsnapshot.backup.Cancellation;
import io.vmsnapshot.report.BackupOutcome;
import io.vmsnapshot.report.OutcomeReporter;
import io.vmsnapshot.report.ReportedBackupJob;
import java.io.IOException;
import java.util.Objects;

/**
 * One backup between the journal's begin and its forget, and reported. The order is what a later
 * start relies on when this worker dies at any line: before {@code FINISHED} recovery reports the
 * backup as interrupted (and runs the post phase it owes); after it, as finished but unreported;
 * once the status file is written the journal is forgotten, and nothing is left to recover.
 * (The phases in between are journaled by {@link JournaledPluginHost} and {@link JournaledFreezer}.)
 */
public final class JournaledBackupJob implements ReportedBackupJob {
    private final BackupJournal journal;
    private final BackupJob backup;
    private final OutcomeReporter reporter;
    private final long workerPid;

    public JournaledBackupJob(BackupJournal journal, BackupJob backup, OutcomeReporter reporter, long workerPid) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.backup = Objects.requireNonNull(backup, "backup");
        this.reporter = Objects.requireNonNull(reporter, "reporter");
        this.workerPid = workerPid;
    }

    @Override
    public BackupOutcome run(BackupRequest request, Cancellation cancellation) throws IOException {
        journal.begin(request.sequenceNumber(), request.settings().publicSettings().taskId(),
                request.settings().publicSettings().locale(), workerPid);
        reporter.transitioning(request);
        BackupResult result = backup.run(request, cancellation);
        BackupOutcome outcome = reporter.upload(request, result);
        journal.record(JournalRecord.FINISHED);
        reporter.writeStatusFile(request, outcome);
        journal.forget();
        reporter.rememberTask(request, outcome);
        return outcome;
    }
}

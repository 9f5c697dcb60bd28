package io.vmsnapshot.report;

import io.vmsnapshot.backup.BackupRequest;
import io.vmsnapshot.backup.Cancellation;
import java.io.IOException;

/**
 * One backup run and reported everywhere it is read (status blob, logs blob, {@code <seq>.status},
 * task record). What the worker calls; the journal's {@code JournaledBackupJob} is the real one.
 */
@FunctionalInterface
public interface ReportedBackupJob {
    BackupOutcome run(BackupRequest request, Cancellation cancellation) throws IOException;
}

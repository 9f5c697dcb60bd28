package io.vmsnapshot.backup;

import io.vmsnapshot.report.BackupOutcome;
import java.io.IOException;

/** Runs one backup in the worker: pre, freeze, snapshot, thaw, post, and the result. */
@FunctionalInterface
public interface BackupJob {
    BackupOutcome run(BackupRequest request, Cancellation cancellation) throws IOException;
}

package io.vmsnapshot.backup;

/** Runs one backup in the worker: pre, freeze, snapshot, thaw, post, and the verdict; it reports nothing. */
@FunctionalInterface
public interface BackupJob {
    BackupResult run(BackupRequest request, Cancellation cancellation);
}

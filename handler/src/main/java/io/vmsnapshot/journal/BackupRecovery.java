package io.vmsnapshot.journal;

import java.io.IOException;
import java.util.Optional;

/**
 * Finishes what a dead worker left: when the journal shows a backup that never reported, runs the
 * post phase it owed (once) and says what happened, for the caller to report under that
 * backup's sequence number. The caller must hold the worker lock.
 */
public interface BackupRecovery {
    BackupRecovery NONE = new BackupRecovery() {
        @Override
        public Optional<RecoveredBackup> recover() {
            return Optional.empty();
        }

        @Override
        public Optional<Integer> pending() {
            return Optional.empty();
        }

        @Override
        public void done() {
        }
    };

    /** Empty when no backup was interrupted. */
    Optional<RecoveredBackup> recover() throws IOException;

    /** The sequence number of an interrupted backup the journal shows, without doing anything. */
    Optional<Integer> pending();

    /** The recovered backup is reported: forget it. */
    void done() throws IOException;

    /**
     * @param finishedBeforeDeath the backup itself had ended; only its status write was lost
     * @param detail              the phase reached, what recovery thawed and what the post phase did
     */
    record RecoveredBackup(int sequenceNumber, String taskId, String locale, boolean finishedBeforeDeath,
            String detail) {
    }
}

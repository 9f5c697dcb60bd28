/**
 * Crash recovery, in one place: what happens when a worker dies (kill -9, OOM, reboot) mid-backup.
 * The journal ({@code state/journal.json}, {@code BackupJournal}, {@code JournalRecord}) is written
 * before each phase by the journaling wrappers ({@code JournaledPluginHost}, {@code JournaledFreezer},
 * {@code JournaledProcessLauncher}); {@code JournaledBackupJob} begins it, marks the backup finished
 * and forgets it once the status is written. At the next start {@code JournalBackupRecovery} kills
 * the scripts the dead worker left, runs the post phase it owed, and {@code InterruptedBackups}
 * reports it under its own sequence number. (What a dead freeze helper left frozen is thawed by
 * freeze's {@code FreezeRecovery} before anything else; script processes are reaped by process's
 * {@code ScriptReaper}.)
 *
 * <p>May use: agent, backup, error, freeze, json, logging, prepost, process, report, settings, status, worker.
 */
package io.vmsnapshot.journal;

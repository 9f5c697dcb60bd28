/**
 * One backup's flow and its decisions, and nothing else: the too-late rule, the plugin host's
 * pre-check, pre-scripts, freeze-snapshot-thaw ({@code FreezeSnapshotStep}), post-scripts, then the
 * verdict ({@code ResultPolicy} over {@code BackupFacts}). {@code SnapshotBackup} returns a
 * {@code BackupResult}; it writes and uploads nothing (that is the report package's), and knows
 * nothing of the journal (which wraps its services). See docs/backup-flow.md §4.5, §4.6.
 *
 * <p>May use: agent, error, freeze, logging, prepost, settings, snapshot, status.
 */
package io.vmsnapshot.backup;

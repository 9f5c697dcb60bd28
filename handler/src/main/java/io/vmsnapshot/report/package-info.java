/**
 * Where an outcome is written, in one place. {@code OutcomeReporter} says a backup's outcome
 * everywhere it is read: the status blob and the logs blob (for the Azure Backup service),
 * {@code <seq>.status} (for the agent) and the task record ({@code TaskRegistry}, for a repeated
 * enable and {@code handle.sh status}). {@code StatusDocuments} builds the two documents from a
 * {@code BackupReport}, with typed {@code BackupTelemetry}; {@code StatusReporter} writes the
 * lifecycle's own statuses and the heartbeat; {@code AgentFileAccess} is the way to the agent's
 * files. See docs/backup-flow.md §3.
 *
 * <p>May use: agent, backup, error, freeze, json, logging, settings, snapshot, status.
 */
package io.vmsnapshot.report;

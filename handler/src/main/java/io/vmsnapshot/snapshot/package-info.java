/**
 * Taking the snapshots: the mode, the guest's own blob snapshots with retries, the host's
 * PreSnapshot/DoSnapshot, their errors and typed {@code SnapshotTelemetry}. See
 * docs/backup-flow.md §2.1.
 *
 * <p>May use: error, logging.
 */
package io.vmsnapshot.snapshot;

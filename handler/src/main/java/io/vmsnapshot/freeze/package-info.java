/**
 * Freezing and thawing file systems: which mounts are eligible, the static helper that holds the
 * freeze, the freeze record under /run and the thaw of what a killed helper left frozen
 * ({@code FreezeRecovery}, at every start). Also the customer's vmbackup.conf ({@code VmBackupConf}),
 * parsed once per backup into {@code VmBackupSettings}.
 *
 * <p>May use: agent, error, json, logging, process.
 */
package io.vmsnapshot.freeze;

/**
 * Microsoft's "enhanced pre/post script" framework: {@code /etc/azure/workload.conf} names a
 * database, and the extension itself quiesces it before the freeze and releases it after the thaw.
 * {@code WorkloadPluginHost} puts this in front of the script plugin host, so the backup, the journal,
 * {@code check} and {@code dry-run} see the database's steps as one more plugin's scripts.
 *
 * <p>May use: error, logging, prepost, process.
 */
package io.vmsnapshot.workload;

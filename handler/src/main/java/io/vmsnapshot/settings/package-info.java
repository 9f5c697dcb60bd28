/**
 * The backup request: {@code config/<seq>.settings} read (enable's public part only; the worker's with
 * the protected settings decrypted), typed views of the public and custom settings, and the protected
 * part stripped once read. See
 * docs/agent-contract.md §4 and docs/backup-flow.md §1.3.
 *
 * <p>May use: agent, error, json, logging.
 */
package io.vmsnapshot.settings;

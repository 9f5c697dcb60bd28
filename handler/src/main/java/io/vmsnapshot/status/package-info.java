/**
 * The formats of the files the agent reads: {@code <seq>.status} (shape, size limit) and
 * {@code heartbeat.log}. What to write in them is the report package's. See
 * docs/agent-contract.md §9, §10.
 *
 * <p>May use: agent, error, json.
 */
package io.vmsnapshot.status;

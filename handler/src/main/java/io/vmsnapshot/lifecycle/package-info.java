/**
 * The verbs: the command table ({@code CommandTable}, policy per verb as data), the agent's verbs
 * (install, enable, disable, uninstall, update), the detached worker's, the operator's (check,
 * dry-run, status), the one place that catches ({@code Handler}) and the one table of exit codes
 * ({@code ExitCodes}). Each command gets what it uses in its constructor (see SystemWiring).
 *
 * <p>May use: agent, backup, error, estate, freeze, journal, logging, prepost, report, seqno, settings,
 * status, worker.
 */
package io.vmsnapshot.lifecycle;

/**
 * The detached worker process, from outside and inside: the lock that keeps backups from
 * overlapping, its launch in a session of its own, finding and stopping workers safely, the
 * heartbeat kept while it runs and the hooks a stop request runs. What the worker does is
 * lifecycle's {@code WorkerCommand}.
 *
 * <p>May use: agent, error, logging.
 */
package io.vmsnapshot.worker;

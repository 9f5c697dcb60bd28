/**
 * The agent's file contract, seen from the handler: where things are ({@code HandlerPaths}), the
 * agent's {@code HandlerEnvironment.json} (read once per process), the handler's name and version as
 * the package directory spells them, the verbs of {@code bin/handle.sh} ({@code Operation}) and the
 * atomic replacement every file the agent reads needs ({@code AtomicFiles}), and the fcntl lock on a
 * whole file that the worker and the freeze take ({@code HeldLock}). See
 * docs/agent-contract.md.
 *
 * <p>May use: error, json.
 */
package io.vmsnapshot.agent;

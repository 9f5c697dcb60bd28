/**
 * The handler's entry and its one wiring root. {@code Main} resolves the paths, points the log at
 * the extension log and takes the clock; {@code SystemWiring} builds every command with the
 * production implementation of each collaborator (the real /proc, /sys, network, helper binary)
 * and hands the verb to the lifecycle's {@code Handler}. {@code StartupTraining} runs the real
 * commands, the worker's backup among them, once at build time for the AOT cache.
 *
 * <p>May use: every package. Nothing uses it.
 */
package io.vmsnapshot;

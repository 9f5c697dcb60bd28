/**
 * Child processes in groups of their own: start with a marker, pump their output, kill the whole
 * group, and reap what a dead worker's scripts left running ({@code ScriptReaper}).
 *
 * <p>May use: error, logging.
 */
package io.vmsnapshot.process;

/**
 * The handler's side of pre- and post-scripts: the {@code PluginHost} interface, loading the
 * verified plugin host jar, and the operator's {@code check} and {@code dry-run} reports with their
 * {@code CheckVerdict}.
 *
 * <p>May use: error, logging, process.
 */
package io.vmsnapshot.prepost;

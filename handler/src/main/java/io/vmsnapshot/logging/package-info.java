/**
 * The extension log: every line redacted ({@code Redactor}), held in memory while file systems are
 * frozen ({@code LogHold}), this process's lines kept for the logs blob ({@code LogSink}), and the
 * file kept bounded by rotation that every process of the package can share ({@code RotatingLogFile}).
 *
 * <p>May use: nothing of the project.
 */
package io.vmsnapshot.logging;

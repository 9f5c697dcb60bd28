/**
 * The extension log: every line redacted ({@code Redactor}), held in memory while file systems are
 * frozen ({@code LogHold}), and this process's lines kept for the logs blob ({@code LogSink}).
 *
 * <p>May use: nothing of the project.
 */
package io.vmsnapshot.logging;

package io.vmsnapshot.process;

/**
 * Receives a child's output, one line at a time (stdout and stderr interleaved as written).
 * Called from the thread that drains the pipe, so it must be quick; lines longer than the
 * launcher's limit arrive split in several calls.
 */
@FunctionalInterface
public interface LineSink {
    LineSink DISCARD = line -> { };

    void line(String line);
}

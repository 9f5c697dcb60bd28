package io.vmsnapshot.logging;

import java.io.IOException;

/**
 * Stops and resumes writing the extension log to disk around a freeze; the production
 * implementation is the LogSink, tests use {@link #NONE}.
 */
public interface LogHold {
    LogHold NONE = new LogHold() {
        @Override
        public void hold() {
        }

        @Override
        public void release() {
        }
    };

    void hold();

    /** Whether a hold is in force: nothing may write to the file systems that may be frozen. */
    default boolean holding() {
        return false;
    }

    void release() throws IOException;
}

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

    void release() throws IOException;
}

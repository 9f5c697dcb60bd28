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

    /**
     * Runs a write to a file system that may be frozen (the heartbeat), unless a hold is in force.
     * The check and the write are one step: a {@link #hold()} taken meanwhile waits until the write
     * has ended, so no such write ever starts inside, or runs into, the freeze window.
     *
     * @return whether the write ran
     */
    default boolean unlessHeld(Runnable write) {
        if (holding()) {
            return false;
        }
        write.run();
        return true;
    }
}

package io.vmsnapshot.worker;

import java.io.IOException;

/** Starts the detached worker that runs one backup; a seam so that unit tests need no processes. */
@FunctionalInterface
public interface WorkerLauncher {
    void launch(int sequenceNumber) throws IOException;
}

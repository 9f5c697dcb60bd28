package io.vmsnapshot.process;

import java.io.IOException;

/** The seam between code that runs programs and the operating system. */
public interface ProcessLauncher {
    /** @throws IOException if the program could not be started at all (missing, not executable) */
    RunningScript start(ProcessSpec spec) throws IOException;
}

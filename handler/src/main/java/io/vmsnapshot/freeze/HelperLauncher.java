package io.vmsnapshot.freeze;

import java.io.IOException;
import java.util.List;

/** Starts the freeze helper; tests swap in a fake process. */
@FunctionalInterface
public interface HelperLauncher {
    /** Starts {@code argv} with stdin and stdout as pipes to this process. */
    Process start(List<String> argv) throws IOException;
}

package io.vmsnapshot.e2e.agent;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the agent's commands run: on this machine as they are ({@link #NONE}), or wrapped to run
 * somewhere else, such as inside another system's root (the fleet tests). A wrapper must only exec
 * its way to the command: the process the runner starts has to become the command's shell, since
 * the runner waits for that pid and kills its process group on timeout, as the agent does.
 */
@FunctionalInterface
public interface CommandWrapper {
    CommandWrapper NONE = (workDir, argv) -> argv;

    /** The argv that runs {@code argv} with {@code workDir} as its working directory. */
    List<String> wrap(Path workDir, List<String> argv);
}

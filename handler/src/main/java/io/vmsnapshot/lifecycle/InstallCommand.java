package io.vmsnapshot.lifecycle;

import io.vmsnapshot.agent.HandlerPaths;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's install: creates the handler's own state, idempotently. It never writes under the
 * customer's config dir: their pre/post configuration is theirs. (The launcher also gives the lib
 * jars back the mtime the build's AOT cache was made with.)
 */
public final class InstallCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(InstallCommand.class);

    private final HandlerPaths paths;

    public InstallCommand(HandlerPaths paths) {
        this.paths = Objects.requireNonNull(paths, "paths");
    }

    @Override
    public int run(List<String> arguments) throws HandlerException, IOException {
        Files.createDirectories(paths.stateDir());
        LOG.info("install-done stateDir={}", paths.stateDir());
        return ExitCodes.SUCCESS;
    }
}

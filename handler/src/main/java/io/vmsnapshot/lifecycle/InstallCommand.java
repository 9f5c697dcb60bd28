package io.vmsnapshot.lifecycle;

import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's install: creates the handler's own state, idempotently. It never writes under the
 * customer's config dir: their pre/post configuration is theirs. (The launcher also gives the lib
 * jars back the mtime the build's class-data-sharing archive was dumped with.)
 */
final class InstallCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(InstallCommand.class);

    @Override
    public int run(HandlerContext context, List<String> arguments) throws HandlerException, IOException {
        Files.createDirectories(context.paths().stateDir());
        LOG.info("install-done stateDir={}", context.paths().stateDir());
        return ExitCodes.SUCCESS;
    }
}

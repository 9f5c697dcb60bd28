package io.vmsnapshot.lifecycle;

import io.vmsnapshot.agent.HandlerPaths;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.worker.Workers;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The agent's uninstall: stop any backup safely, then remove the handler's own state only. */
public final class UninstallCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(UninstallCommand.class);

    private final HandlerPaths paths;
    private final Workers workers;

    public UninstallCommand(HandlerPaths paths, Workers workers) {
        this.paths = Objects.requireNonNull(paths, "paths");
        this.workers = Objects.requireNonNull(workers, "workers");
    }

    @Override
    public int run(List<String> arguments) throws HandlerException, IOException {
        if (!workers.stopAll()) {
            return ExitCodes.BUSY;
        }
        deleteTree(paths.stateDir());
        Files.deleteIfExists(paths.mostRecentSequenceFile());
        LOG.info("uninstall-done removed={}", paths.stateDir());
        return ExitCodes.SUCCESS;
    }

    /** Does not follow symlinks: a link inside our state must never lead the deletion elsewhere. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}

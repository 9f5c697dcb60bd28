package io.vmsnapshot.lifecycle;

import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The agent's uninstall: stop any backup safely, then remove the handler's own state only. */
final class UninstallCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(UninstallCommand.class);

    @Override
    public int run(HandlerContext context, List<String> arguments) throws HandlerException, IOException {
        if (!DisableCommand.stopWorkers(context)) {
            return ExitCodes.BUSY;
        }
        deleteTree(context.paths().stateDir());
        Files.deleteIfExists(context.paths().mostRecentSequenceFile());
        LOG.info("uninstall-done removed={}", context.paths().stateDir());
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

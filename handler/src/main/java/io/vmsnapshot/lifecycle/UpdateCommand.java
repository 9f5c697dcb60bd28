package io.vmsnapshot.lifecycle;

import io.vmsnapshot.agent.HandlerName;
import io.vmsnapshot.agent.HandlerPaths;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's update, run by the new version between the old version's disable and uninstall
 * (docs/agent-contract.md §8). The agent carries {@code mrseq} and the status files over; the processed
 * task ids are ours to carry, from the old version's directory beside ours.
 */
public final class UpdateCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(UpdateCommand.class);
    static final String UPDATING_FROM = "AZURE_GUEST_AGENT_UPDATING_FROM_VERSION";

    private final HandlerPaths paths;
    private final Map<String, String> env;

    public UpdateCommand(HandlerPaths paths, Map<String, String> env) {
        this.paths = Objects.requireNonNull(paths, "paths");
        this.env = Map.copyOf(env);
    }

    @Override
    public int run(List<String> arguments) throws HandlerException, IOException {
        String from = env.getOrDefault(UPDATING_FROM, "").trim();
        Path root = paths.packageRoot();
        if (from.isEmpty() || root.getParent() == null || !from.matches("[0-9A-Za-z.]+")) {
            LOG.info("update-nothing-to-carry from={}", from);
            return ExitCodes.SUCCESS;
        }
        Path oldRoot = root.getParent().resolve(HandlerName.fromPackageRoot(root) + "-" + from);
        Path oldTasks = oldRoot.resolve(root.relativize(paths.taskRegistryFile()));
        Path newTasks = paths.taskRegistryFile();
        if (oldRoot.equals(root) || !Files.isRegularFile(oldTasks, LinkOption.NOFOLLOW_LINKS)) {
            LOG.info("update-no-task-history from={} dir={}", from, oldRoot);
            return ExitCodes.SUCCESS;
        }
        Files.createDirectories(newTasks.getParent());
        Files.copy(oldTasks, newTasks, StandardCopyOption.REPLACE_EXISTING);
        LOG.info("update-carried-task-history from={} to={}", from, HandlerName.versionFromPackageRoot(root));
        return ExitCodes.SUCCESS;
    }
}

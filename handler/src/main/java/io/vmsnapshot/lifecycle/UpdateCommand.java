package io.vmsnapshot.lifecycle;

import io.vmsnapshot.agent.HandlerName;
import io.vmsnapshot.agent.HandlerPaths;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.report.TaskRecord;
import io.vmsnapshot.report.TaskRegistry;
import io.vmsnapshot.seqno.SequenceNumberStore;
import io.vmsnapshot.status.StatusType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's update, run by the new version between the old version's disable and uninstall
 * (docs/agent-contract.md §8). The agent carries {@code mrseq} and the status files over; the rest
 * of the old version's state is ours to carry, from its directory beside ours: our processed task
 * ids from an older version of this package, or from the Python extension ({@link PythonExtensionState})
 * the task id it ran last, so that neither a sequence number nor a task it ran is run again.
 */
public final class UpdateCommand implements Command {
    private static final Logger LOG = LoggerFactory.getLogger(UpdateCommand.class);
    static final String UPDATING_FROM = "AZURE_GUEST_AGENT_UPDATING_FROM_VERSION";

    private final HandlerPaths paths;
    private final Map<String, String> env;
    private final TaskRegistry tasks;
    private final Clock clock;

    public UpdateCommand(HandlerPaths paths, Map<String, String> env, TaskRegistry tasks, Clock clock) {
        this.paths = Objects.requireNonNull(paths, "paths");
        this.env = Map.copyOf(env);
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.clock = Objects.requireNonNull(clock, "clock");
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
        if (oldRoot.equals(root) || !Files.isDirectory(oldRoot, LinkOption.NOFOLLOW_LINKS)) {
            LOG.info("update-no-old-version from={} dir={}", from, oldRoot);
            return ExitCodes.SUCCESS;
        }
        carryMostRecentSequence(oldRoot);
        if (PythonExtensionState.isPythonExtension(oldRoot)) {
            rememberPythonExtensionsLastTask(oldRoot, from);
        } else {
            carryTaskHistory(oldRoot, from);
        }
        return ExitCodes.SUCCESS;
    }

    /**
     * The agent copies {@code mrseq} before it runs update; should an agent not have, the first
     * enable would run the last sequence number the old version ran once more.
     */
    private void carryMostRecentSequence(Path oldRoot) throws IOException {
        SequenceNumberStore ours = new SequenceNumberStore(paths.mostRecentSequenceFile());
        Path oldFile = oldRoot.resolve(paths.packageRoot().relativize(paths.mostRecentSequenceFile()));
        OptionalInt old = Files.isRegularFile(oldFile, LinkOption.NOFOLLOW_LINKS)
                ? new SequenceNumberStore(oldFile).read() : OptionalInt.empty();
        if (ours.read().isEmpty() && old.isPresent()) {
            ours.write(old.getAsInt());
            LOG.info("update-carried-mrseq seq={}", old.getAsInt());
        }
    }

    private void carryTaskHistory(Path oldRoot, String from) throws IOException {
        Path oldTasks = oldRoot.resolve(paths.packageRoot().relativize(paths.taskRegistryFile()));
        Path newTasks = paths.taskRegistryFile();
        if (!Files.isRegularFile(oldTasks, LinkOption.NOFOLLOW_LINKS)) {
            LOG.info("update-no-task-history from={} dir={}", from, oldRoot);
            return;
        }
        Files.createDirectories(newTasks.getParent());
        Files.copy(oldTasks, newTasks, StandardCopyOption.REPLACE_EXISTING);
        LOG.info("update-carried-task-history from={} to={}", from,
                HandlerName.versionFromPackageRoot(paths.packageRoot()));
    }

    /**
     * A repeat of the task the Python extension ran last is told "already processed", as the Python
     * extension itself would have told it, instead of taking a second snapshot.
     */
    private void rememberPythonExtensionsLastTask(Path oldRoot, String from) throws IOException {
        Optional<String> taskId = PythonExtensionState.lastTaskId(oldRoot);
        if (taskId.isEmpty() || tasks.find(taskId.get()).isPresent()) {
            LOG.info("update-from-python-extension from={} lastTask={}", from, taskId.orElse("none"));
            return;
        }
        int seq = new SequenceNumberStore(paths.mostRecentSequenceFile()).read().orElse(-1);
        String message = Messages.forLocale(null).message(ErrorCode.SUCCESS_ALREADY_PROCESSED_INPUT)
                + " The previous version of the extension (" + from + ") ran task " + taskId.get() + ".";
        tasks.put(new TaskRecord(taskId.get(), Math.max(seq, 0), StatusType.SUCCESS,
                ErrorCode.SUCCESS_ALREADY_PROCESSED_INPUT.code(), message, "", clock.millis()));
        LOG.info("update-from-python-extension from={} lastTask={} remembered=true", from, taskId.get());
    }
}

package io.vmsnapshot.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the Python extension (Azure/azure-linux-extensions VMBackup) leaves in its version directory
 * that matters to its successor. Its {@code mrseq} (the last sequence number its enable started,
 * {@code -1} after it saw the VM restored elsewhere) and {@code status/} (its {@code <seq>.status}
 * files, the older ones renamed {@code <seq>_status}, and {@code tempStatusFile.status}) are the
 * agent's to copy and read the same as ours, or are never looked at. Its {@code config/} keeps its
 * settings files (the older ones renamed {@code <seq>_settings}); the agent writes the new
 * version's own. What remains is the last task id it ran, in a file of its working directory.
 */
final class PythonExtensionState {
    /** Upstream's {@code taskidentity.py}: the task id of its last enable, nothing else in it. */
    static final String TASK_IDENTITY_FILE = "task_identity_FD76C85E-406F-4CFA-8EB0-CF18B123365C";
    /** Its entry point; this package has none of that name. */
    static final String MARKER = "main/handle.py";
    private static final int MAX_TASK_ID = 256;

    private PythonExtensionState() {
    }

    static boolean isPythonExtension(Path versionDir) {
        return Files.isRegularFile(versionDir.resolve(MARKER), LinkOption.NOFOLLOW_LINKS);
    }

    /** Empty when there is none, or what is there is not a plausible task id (then it is not trusted). */
    static Optional<String> lastTaskId(Path versionDir) {
        Path file = versionDir.resolve(TASK_IDENTITY_FILE);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_TASK_ID) {
                return Optional.empty();
            }
            String taskId = Files.readString(file, StandardCharsets.UTF_8).strip();
            return taskId.matches("[\\x21-\\x7e]{1," + MAX_TASK_ID + "}") ? Optional.of(taskId) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

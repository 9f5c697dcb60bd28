package io.vmsnapshot.pluginhost;

import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.prepost.ScriptPhase;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Decides whether a configured script may run as the handler's user. The script must be a regular
 * file (not a symlink) owned by the handler's uid that grants nothing to group or other
 * ({@code 700} or stricter), and every directory from {@code /} down to it must be a real
 * directory (no symlink) owned by root or the handler's uid and not writable by group or other.
 *
 * <p>Why the directory rule matters: we check the script now and exec it a moment later by path.
 * Whoever can write to any directory on that path (or retarget a symlink in it) could swap the
 * script in between and have their code run as root. When only root and the handler's uid can
 * change any directory on the path, nobody else can replace or rename anything on it, so the file
 * we checked is the file that runs: the check-then-use race is closed without having to execute
 * from a file descriptor, which the JDK cannot do.
 */
final class ScriptFileCheck {
    private static final int GROUP_OR_OTHER = 0077;
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final Set<String> KERNEL_FILE_SYSTEMS = Set.of("proc", "sysfs", "debugfs", "tracefs",
            "securityfs", "configfs", "cgroup", "cgroup2", "bpf", "efivarfs", "pstore");

    private final int handlerUid;

    ScriptFileCheck(int handlerUid) {
        this.handlerUid = handlerUid;
    }

    void check(Path script, ScriptPhase phase) throws HandlerException {
        Path directory = script.getRoot();
        checkDirectory(directory, script, phase);
        for (Path name : script.getParent()) {
            directory = directory.resolve(name);
            checkDirectory(directory, script, phase);
        }
        Stat stat = lstat(script, script, phase);
        if (stat.isSymlink()) {
            throw refuse(phase, script + " is a symbolic link" + realPathHint(script));
        }
        if (!stat.isRegularFile()) {
            throw refuse(phase, script + " is not a regular file");
        }
        if (stat.uid() != handlerUid) {
            throw refuse(phase, script + " is owned by uid " + stat.uid() + ", must be owned by uid " + handlerUid
                    + " (chown " + handlerUid + " " + script + ")");
        }
        if (stat.grants(GROUP_OR_OTHER)) {
            throw refuse(phase, script + " has mode " + stat.permissions()
                    + "; it must grant nothing to group or other (chmod 700 " + script + ")");
        }
        String fileSystem = fileSystemType(script);
        if (KERNEL_FILE_SYSTEMS.contains(fileSystem)) {
            // /proc/<pid>/environ of a root process is root's 0400 regular file, yet its bytes come
            // from whoever started that process: nothing there is a script root wrote.
            throw refuse(phase, script + " is on the " + fileSystem + " file system, whose content the kernel"
                    + " generates; put the script on a disk");
        }
    }

    private static String fileSystemType(Path script) {
        try {
            return Files.getFileStore(script).type();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private void checkDirectory(Path directory, Path script, ScriptPhase phase) throws HandlerException {
        Stat stat = lstat(directory, script, phase);
        if (stat.isSymlink()) {
            throw refuse(phase, "directory " + directory + " on the path of " + script + " is a symbolic link"
                    + realPathHint(script));
        }
        if (!stat.isDirectory()) {
            throw new HandlerException(phase.notFound(), script + " does not exist: " + directory + " is not a directory");
        }
        if (stat.uid() != 0 && stat.uid() != handlerUid) {
            throw refuse(phase, "directory " + directory + " on the path of " + script + " is owned by uid "
                    + stat.uid() + "; only root or uid " + handlerUid + " may own it, or the script could be swapped");
        }
        if (stat.grants(GROUP_OR_OTHER_WRITE)) {
            throw refuse(phase, "directory " + directory + " on the path of " + script + " has mode "
                    + stat.permissions() + " (writable by group or other), so the script could be swapped;"
                    + " move the script or chmod go-w " + directory);
        }
    }

    private static Stat lstat(Path path, Path script, ScriptPhase phase) throws HandlerException {
        try {
            return Stat.of(path);
        } catch (NoSuchFileException e) {
            throw new HandlerException(phase.notFound(), script + " does not exist"
                    + (path.equals(script) ? "" : " (no " + path + ")"), e);
        } catch (FileSystemException e) {
            throw new HandlerException(phase.notFound(), script + " cannot be reached: " + e.getMessage(), e);
        } catch (IOException e) {
            throw refuse(phase, path + " cannot be examined: " + e.getMessage());
        }
    }

    private static String realPathHint(Path script) {
        try {
            return "; configure the real path " + script.toRealPath() + " instead";
        } catch (IOException e) {
            return "; configure the real path instead";
        }
    }

    private static HandlerException refuse(ScriptPhase phase, String detail) {
        return new HandlerException(phase.permission(), detail);
    }
}

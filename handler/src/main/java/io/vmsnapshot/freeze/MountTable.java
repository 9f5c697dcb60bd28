package io.vmsnapshot.freeze;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mounts of this process's namespace, in mount order, from {@code /proc/self/mountinfo}
 * (not {@code mount} or {@code lsblk} output: no process to run, and the kernel's own escaping).
 */
public final class MountTable {
    private static final Logger LOG = LoggerFactory.getLogger(MountTable.class);

    private final Path mountInfo;

    /** @param mountInfo normally {@code /proc/self/mountinfo} */
    public MountTable(Path mountInfo) {
        this.mountInfo = Objects.requireNonNull(mountInfo, "mountInfo");
    }

    public List<Mount> read() throws HandlerException {
        List<String> lines;
        try {
            lines = Files.readAllLines(mountInfo, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HandlerException(ErrorCode.FS_FREEZE_FAILED,
                    "cannot read the mount table " + mountInfo + ": " + e.getMessage(), e);
        }
        List<Mount> mounts = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                parse(lines.get(i), i + 1).ifPresent(mounts::add);
            }
        }
        return List.copyOf(mounts);
    }

    /*
     * "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue":
     * id, parent, major:minor, root, mount point, options, optional fields up to "-", then
     * fs type, source, super options (proc(5)).
     */
    private Optional<Mount> parse(String line, int lineNumber) throws HandlerException {
        String[] fields = line.split(" ");
        int separator = -1;
        for (int i = 6; i < fields.length; i++) {
            if (fields[i].equals("-")) {
                separator = i;
                break;
            }
        }
        if (fields.length < 6 || separator < 0 || separator + 2 >= fields.length) {
            throw new HandlerException(ErrorCode.FS_FREEZE_FAILED,
                    mountInfo + " line " + lineNumber + " is not in mountinfo format: " + line);
        }
        Path mountPoint;
        try {
            mountPoint = mountInfo.getFileSystem().getPath(OctalEscapes.unescape(fields[4]));
        } catch (InvalidPathException e) {
            // Only when the JVM has no UTF-8 locale (the launcher gives it one wherever the VM has
            // any): a name this JVM cannot encode cannot be opened by it, so one such mount must not
            // cost the backup of every other.
            LOG.warn("mount-unnamable line={} mountPoint={} fix=\"install a UTF-8 locale (C.UTF-8 or en_US.UTF-8);"
                    + " this mount is not frozen\"", lineNumber, fields[4]);
            return Optional.empty();
        }
        return Optional.of(new Mount(OctalEscapes.unescape(fields[separator + 2]), mountPoint,
                fields[separator + 1], fields[2]));
    }
}

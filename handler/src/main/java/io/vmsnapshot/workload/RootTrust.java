package io.vmsnapshot.workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * Whether root may run a program named by workload.conf: the program (after its symlinks) and every
 * directory above it must be owned by root and writable by nobody else, or an unprivileged user
 * could change what root runs. A client run as another {@code linux_user} runs with that user's
 * rights only, so this is asked only for root.
 */
final class RootTrust {
    private static final int STICKY = 01000;
    private RootTrust() {
    }

    /** Empty if root may run it, else why not. */
    static Optional<String> problem(Path program) {
        Path real;
        try {
            real = program.toRealPath();
        } catch (IOException e) {
            return Optional.of(program + " does not exist");
        }
        for (Path path = real; path != null; path = path.getParent()) {
            try {
                int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
                // A sticky directory of root's (/tmp) lets nobody rename the root-owned entry below it.
                boolean sticky = path != real && ((Integer) Files.getAttribute(path, "unix:mode",
                        LinkOption.NOFOLLOW_LINKS) & STICKY) != 0;
                if (uid != 0) {
                    return Optional.of(path + " is owned by uid " + uid + ", so root will not run " + program);
                }
                if (!sticky && (mode.contains(PosixFilePermission.GROUP_WRITE)
                        || mode.contains(PosixFilePermission.OTHERS_WRITE))) {
                    return Optional.of(path + " is writable by group or other, so root will not run " + program);
                }
            } catch (IOException | UnsupportedOperationException e) {
                return Optional.of(path + " cannot be examined (" + e.getMessage() + ")");
            }
        }
        return Optional.empty();
    }
}

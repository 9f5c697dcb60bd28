package io.vmsnapshot.backup;

import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.freeze.Mount;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The mounts to freeze, in freeze order (eligibility rules or VMSNAPSHOT_FREEZE_MOUNTS). */
@FunctionalInterface
public interface MountSource {
    /** @param mountsToSkip the customer's vmbackup.conf MountsToSkip, read once by the caller */
    List<Mount> eligible(Set<Path> mountsToSkip) throws HandlerException;
}

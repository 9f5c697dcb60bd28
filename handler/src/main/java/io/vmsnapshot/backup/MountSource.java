package io.vmsnapshot.backup;

import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.freeze.Mount;
import java.util.List;

/** The mounts to freeze, in freeze order (eligibility rules or VMSNAPSHOT_FREEZE_MOUNTS). */
@FunctionalInterface
public interface MountSource {
    List<Mount> eligible() throws HandlerException;
}

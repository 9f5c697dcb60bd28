package io.vmsnapshot.lifecycle;

import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.freeze.SkippedMount;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The mounts a backup would not freeze, and why ({@code FreezeEligibility#skipped}), for {@code check}. */
@FunctionalInterface
public interface MountSurvey {
    /** @param mountsToSkip the customer's vmbackup.conf MountsToSkip */
    List<SkippedMount> skipped(Set<Path> mountsToSkip) throws HandlerException;
}

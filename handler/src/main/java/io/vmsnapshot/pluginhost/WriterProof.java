package io.vmsnapshot.pluginhost;

import java.util.List;
import java.util.Set;

/**
 * Which files are proven to be held open for writing by nobody, without looking at every process:
 * the targets it returns skip the {@code /proc} scan of {@link OpenWriters}, the rest are scanned. It
 * may return fewer than it was given, never a file it could not prove (when in doubt, nothing).
 */
interface WriterProof {
    /** No proof at all: every file is scanned. */
    WriterProof NONE = targets -> Set.of();

    /** @return a subset of {@code targets}; never throws */
    Set<OpenWriters.Target> unwritten(List<OpenWriters.Target> targets);
}

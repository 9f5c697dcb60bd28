package io.vmsnapshot.pluginhost;

import java.util.List;
import java.util.Set;

/**
 * Which files are proven to be held open for writing by nobody, without looking at every process:
 * the targets it returns skip the {@code /proc} scan of {@link OpenWriters}, the rest are scanned. It
 * may return fewer than it was given, never a file it could not prove (when in doubt, nothing).
 */
interface WriterProof {
    /** @return a subset of {@code targets}; never throws */
    Set<OpenWriters.Target> unwritten(List<OpenWriters.Target> targets);

    /**
     * No proof at all: every file is scanned. A class rather than a lambda, as the rest of this
     * path: the plugin host's classes come from verified bytes, which no start-up cache holds, so
     * each lambda is spun at run time in every process.
     */
    final class None implements WriterProof {
        @Override
        public Set<OpenWriters.Target> unwritten(List<OpenWriters.Target> targets) {
            return Set.of();
        }
    }
}

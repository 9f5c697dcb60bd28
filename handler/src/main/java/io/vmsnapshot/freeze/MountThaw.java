package io.vmsnapshot.freeze;

import java.nio.file.Path;
import java.util.Objects;

/** How one mount came out of the freeze. */
public record MountThaw(Path mountPoint, Outcome outcome, String detail) {
    public enum Outcome {
        THAWED,
        /** It was no longer frozen when the thaw came: someone thawed it earlier. */
        NOT_FROZEN,
        FAILED,
        /** The helper never reported on it; it may still be frozen (the freeze record remains). */
        UNKNOWN
    }

    public MountThaw {
        Objects.requireNonNull(mountPoint, "mountPoint");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
    }
}

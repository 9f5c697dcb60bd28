package io.vmsnapshot.freeze;

import java.util.List;
import java.util.Objects;

/**
 * The end of a freeze: why it ended and how each mount came out, in thaw order.
 *
 * @param frozenMillis how long the file systems were frozen, as seen by the handler
 */
public record ThawResult(ThawTrigger trigger, List<MountThaw> mounts, long frozenMillis) {
    public ThawResult {
        Objects.requireNonNull(trigger, "trigger");
        mounts = List.copyOf(mounts);
        if (frozenMillis < 0) {
            throw new IllegalArgumentException("frozenMillis must not be negative: " + frozenMillis);
        }
    }

    public static ThawResult nothingFrozen() {
        return new ThawResult(ThawTrigger.NOTHING_FROZEN, List.of(), 0);
    }

    /** The file systems stayed frozen until the handler asked, and every one thawed. */
    public boolean consistent() {
        return (trigger == ThawTrigger.REQUEST || trigger == ThawTrigger.NOTHING_FROZEN)
                && mounts.stream().allMatch(m -> m.outcome() == MountThaw.Outcome.THAWED);
    }

    /** No mount may still be frozen: the freeze record can go. */
    public boolean allThawed() {
        return mounts.stream().allMatch(m -> m.outcome() == MountThaw.Outcome.THAWED
                || m.outcome() == MountThaw.Outcome.NOT_FROZEN);
    }

    /** One line for the log and for an error detail, e.g. {@code trigger=TIMEOUT /data=THAWED}. */
    public String summary() {
        StringBuilder out = new StringBuilder("trigger=").append(trigger);
        for (MountThaw m : mounts) {
            out.append(' ').append(m.mountPoint()).append('=').append(m.outcome());
            if (!m.detail().isEmpty()) {
                out.append("(").append(m.detail()).append(")");
            }
        }
        return out.toString();
    }
}

package io.vmsnapshot.freeze;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The helper's account of a thaw: {@code thawing}, one line per mount, {@code done}. */
final class ThawLines {
    private String why = "";
    private final Map<String, HelperLine.MountResult> results = new LinkedHashMap<>();
    private boolean done;

    /** Reads until {@code done}, the end of the output, or the deadline. */
    static ThawLines read(HelperChannel channel, long deadlineNanos) {
        ThawLines thaw = new ThawLines();
        thaw.readMore(channel, deadlineNanos);
        return thaw;
    }

    void readMore(HelperChannel channel, long deadlineNanos) {
        while (!done) {
            Optional<HelperLine> next = channel.next(deadlineNanos);
            if (next.isEmpty()) {
                return;
            }
            HelperLine line = next.get();
            if (line instanceof HelperLine.Thawing thawing) {
                why = thawing.why();
            } else if (line instanceof HelperLine.MountResult result) {
                results.put(result.mount(), result);
            } else if (line instanceof HelperLine.Done) {
                done = true;
            }
        }
    }

    boolean done() {
        return done;
    }

    String why() {
        return why;
    }

    List<HelperLine.MountResult> results() {
        return List.copyOf(results.values());
    }

    /**
     * Per mount, in thaw order (reverse of {@code frozenOrder}). A mount without a line was never
     * frozen if the helper finished its account, and may still be frozen if it did not.
     */
    List<MountThaw> outcomes(List<Path> frozenOrder) {
        List<MountThaw> outcomes = new ArrayList<>();
        for (int i = frozenOrder.size() - 1; i >= 0; i--) {
            Path mount = frozenOrder.get(i);
            HelperLine.MountResult result = results.get(mount.toString());
            if (result == null) {
                if (!done) {
                    outcomes.add(new MountThaw(mount, MountThaw.Outcome.UNKNOWN, "the helper did not report it"));
                }
                continue;
            }
            switch (result.word()) {
                case "thawed":
                    outcomes.add(new MountThaw(mount, MountThaw.Outcome.THAWED, ""));
                    break;
                case "not-frozen":
                    outcomes.add(new MountThaw(mount, MountThaw.Outcome.NOT_FROZEN, "thawed by someone else first"));
                    break;
                case "gone":
                    outcomes.add(new MountThaw(mount, MountThaw.Outcome.NOT_FROZEN, "no longer mounted"));
                    break;
                default:
                    outcomes.add(new MountThaw(mount, MountThaw.Outcome.FAILED, result.text()));
                    break;
            }
        }
        return outcomes;
    }
}

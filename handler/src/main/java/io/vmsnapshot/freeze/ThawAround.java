package io.vmsnapshot.freeze;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Thaws mounts from a new process, {@code vmsnapshot-freeze --thaw}, around a freeze helper that
 * cannot: it was killed, crashed, is stopped, or hangs in a FIFREEZE. FITHAW works from any process
 * that may freeze, whoever froze the file system, and a mount that is not frozen just says so.
 * Nothing here opens a file: the helper is started from the package (reading a frozen file system
 * does not block) and speaks through pipes.
 */
final class ThawAround {
    private final Path helperBinary;
    private final HelperLauncher launcher;

    ThawAround(Path helperBinary, HelperLauncher launcher) {
        this.helperBinary = Objects.requireNonNull(helperBinary, "helperBinary");
        this.launcher = Objects.requireNonNull(launcher, "launcher");
    }

    /**
     * @param frozenOrder the mounts in the order they were frozen; they are thawed in reverse
     * @return per mount, in thaw order; UNKNOWN for any the new process did not report on within {@code wait}
     */
    List<MountThaw> thaw(List<Path> frozenOrder, Duration wait) {
        if (frozenOrder.isEmpty()) {
            return List.of();
        }
        List<String> argv = new ArrayList<>();
        argv.add(helperBinary.toAbsolutePath().toString());
        argv.add("--thaw");
        frozenOrder.forEach(m -> argv.add(m.toString()));
        HelperChannel channel;
        try {
            channel = new HelperChannel(launcher.start(argv));
        } catch (IOException e) {
            return unknown(frozenOrder, "cannot start " + helperBinary + " --thaw: " + e.getMessage());
        }
        ThawLines lines = ThawLines.read(channel, System.nanoTime() + wait.toNanos());
        channel.stop();
        channel.exitCode(1_000);
        if (!lines.done() && lines.results().isEmpty()) {
            return unknown(frozenOrder, "the thaw from a new process did not answer within " + wait.toSeconds() + " s");
        }
        return lines.outcomes(frozenOrder);
    }

    private static List<MountThaw> unknown(List<Path> frozenOrder, String why) {
        List<MountThaw> outcomes = new ArrayList<>();
        for (int i = frozenOrder.size() - 1; i >= 0; i--) {
            outcomes.add(new MountThaw(frozenOrder.get(i), MountThaw.Outcome.UNKNOWN, why));
        }
        return outcomes;
    }
}

package io.vmsnapshot.pluginhost;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's answer to "does anyone hold this file open for writing?", from the static helper's
 * {@code --writers} mode: a read lease is refused while the inode's write count is above zero, which
 * counts every process's descriptors (in any pid namespace, or in flight in a Unix socket) and shared
 * writable mappings, in O(1) per file instead of a pass over every process's descriptors.
 *
 * <p>Only a {@code none} line about the very inode the script's lstat described is proof. Anything
 * else, a writer, no answer ({@code unknown}: leases disabled, or a file system without them), another
 * inode, or a helper that is missing, fails or does not finish within the timeout, leaves the file to
 * the {@code /proc} scan, which names the writer or proves there is none.
 */
final class LeaseProbe implements WriterProof {
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final Logger LOG = LoggerFactory.getLogger(LeaseProbe.class);

    private final Path helper;
    private final Duration timeout;

    LeaseProbe(Path helper, Duration timeout) {
        this.helper = Objects.requireNonNull(helper, "helper");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public Set<OpenWriters.Target> unwritten(List<OpenWriters.Target> targets) {
        if (targets.isEmpty()) {
            return Set.of();
        }
        List<String> argv = new ArrayList<>(List.of(helper.toString(), "--writers"));
        for (OpenWriters.Target target : targets) {
            argv.add(target.path().toString());
        }
        try {
            Set<OpenWriters.Target> proven = proven(targets, run(argv));
            if (proven.size() < targets.size()) {
                LOG.info("writers-unproven files={} scanning={}", targets.size(), targets.size() - proven.size());
            }
            return proven;
        } catch (IOException e) {
            LOG.warn("writers-probe-failed helper={} error={}", helper, e.getMessage());
            return Set.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        }
    }

    /**
     * The helper's whole output, once it has exited. Its few lines fit in the pipe, so it is read only
     * after the exit; a helper that somehow wrote more blocks, times out and proves nothing.
     */
    private List<String> run(List<String> argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (InputStream out = process.getInputStream()) {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("no answer within " + timeout.toMillis() + " ms");
            }
            if (process.exitValue() != 0) {
                throw new IOException("exit code " + process.exitValue());
            }
            return new String(out.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * The targets whose line, in argument order, is {@code none <dev> <ino>} with the device and inode
     * of the target's lstat. Output of another length proves nothing.
     */
    static Set<OpenWriters.Target> proven(List<OpenWriters.Target> targets, List<String> lines) {
        Set<OpenWriters.Target> proven = new HashSet<>();
        if (lines.size() != targets.size()) {
            return proven;
        }
        for (int i = 0; i < targets.size(); i++) {
            OpenWriters.Target target = targets.get(i);
            String[] fields = lines.get(i).split(" ");
            if (fields.length == 3 && fields[0].equals("none") && sameNumber(fields[1], target.stat().device())
                    && sameNumber(fields[2], target.stat().inode())) {
                proven.add(target);
            }
        }
        return proven;
    }

    /** st_dev and st_ino are unsigned; Java holds them in a long. */
    private static boolean sameNumber(String field, long value) {
        try {
            return Long.parseUnsignedLong(field) == value;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

package io.vmsnapshot.freeze;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The pipes to one running helper. A reader thread turns its stdout into {@link HelperLine}s, so
 * every wait here has a deadline; nothing here touches a file system.
 */
final class HelperChannel {
    private static final Optional<HelperLine> END = Optional.empty();

    private final Process process;
    private final BlockingQueue<Optional<HelperLine>> lines = new LinkedBlockingQueue<>();
    private boolean ended;
    private boolean interrupted;
    /* Written by the reader thread, read by whoever registers the callback: guarded by this. */
    private boolean outputEnded;
    private boolean sawDone;
    private Runnable onEndWithoutDone;

    HelperChannel(Process process) {
        this.process = process;
        Thread reader = new Thread(this::readAll, "vmsnapshot-freeze-helper-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void readAll() {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                HelperLine parsed = HelperLine.parse(line);
                if (parsed instanceof HelperLine.Done) {
                    synchronized (this) {
                        sawDone = true;
                    }
                }
                lines.add(Optional.of(parsed));
            }
        } catch (IOException e) {
            // The helper's stdout broke: the same as its end, which the waiting side handles.
        } finally {
            lines.add(END);
            Runnable callback;
            synchronized (this) {
                outputEnded = true;
                callback = sawDone ? null : onEndWithoutDone;
            }
            if (callback != null) {
                callback.run();
            }
        }
    }

    /**
     * Runs {@code callback} (on the reader thread, or at once if it already happened) when the
     * helper's output ends without a {@code done} line: it died without finishing its thaw.
     */
    void onEndWithoutDone(Runnable callback) {
        boolean now;
        synchronized (this) {
            now = outputEnded && !sawDone;
            if (!outputEnded) {
                onEndWithoutDone = callback;
            }
        }
        if (now) {
            callback.run();
        }
    }

    /**
     * The next line; empty when the output ended ({@link #ended()}) or the deadline (a
     * {@link System#nanoTime()} value) passed first.
     */
    Optional<HelperLine> next(long deadlineNanos) {
        if (ended || interrupted) {
            return Optional.empty();
        }
        try {
            Optional<HelperLine> line = lines.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                return Optional.empty();
            }
            if (line.isEmpty()) {
                ended = true;
            }
            return line;
        } catch (InterruptedException e) {
            // Waits end at once from now on; the caller then stops the helper, which thaws.
            interrupted = true;
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    boolean ended() {
        return ended;
    }

    /** Sends one command line; false when the helper no longer reads (it has exited). */
    boolean send(String command) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Asks the helper to end: end of file on its stdin and SIGTERM, both of which make it thaw
     * what it froze. Not SIGKILL: that would leave file systems frozen (see {@link #kill()}).
     */
    void stop() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // Already closed by the helper's exit: nothing left to tell it.
        }
        process.destroy();
    }

    /**
     * SIGKILL: only once another process has thawed every mount, for a helper that is stopped or
     * stuck and would otherwise hold its descriptors (and a stopped parent's pipe) forever.
     */
    void kill() {
        process.destroyForcibly();
    }

    long pid() {
        return process.pid();
    }

    /** The exit code if the helper ends within {@code millis}; -1 otherwise. */
    int exitCode(long millis) {
        try {
            return process.waitFor(millis, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}

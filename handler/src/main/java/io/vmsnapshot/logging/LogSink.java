package io.vmsnapshot.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The extension log as a byte stream (what slf4j-simple writes to): each complete line is
 * redacted, prefixed and appended to {@code extension.log} (a {@link RotatingLogFile}, which keeps
 * it bounded). While {@link #hold()} is in force — from just before a freeze until the thaw — lines
 * stay in memory, because a write to a frozen file system would block the very process that has to
 * thaw it; that also means no rotation happens inside the window.
 */
public final class LogSink extends OutputStream implements LogHold {
    /** Bounds the memory a chatty freeze window may use; later lines are counted, not kept. */
    private static final int MAX_HELD_LINES = 20_000;

    private final RotatingLogFile logFile;
    private final String prefix;
    private final Redactor redactor;
    private final Clock clock;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final List<String> held = new ArrayList<>();
    /** The last lines logged, oldest dropped first: the end of a backup matters most in the logs blob. */
    private final Deque<String> recent = new ArrayDeque<>();
    /** Taken before this sink's monitor, never after it: see {@link #unlessHeld}. */
    private final Object window = new Object();
    private boolean holding;
    private int droppedWhileHeld;

    /** Appends to {@code logFile}, rotated at {@link RotatingLogFile#MAX_BYTES}. */
    public LogSink(Path logFile, String prefix, Redactor redactor, Clock clock) {
        this(new RotatingLogFile(logFile), prefix, redactor, clock);
    }

    /**
     * @param prefix what each line starts with (the process and its verb)
     * @param clock  stamps each line, after the prefix, when it is written here: slf4j-simple's own
     *               time stamp is a SimpleDateFormat, whose locale data cost every process some 8 ms
     */
    public LogSink(RotatingLogFile logFile, String prefix, Redactor redactor, Clock clock) {
        this.logFile = Objects.requireNonNull(logFile, "logFile");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.redactor = Objects.requireNonNull(redactor, "redactor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (b == '\n') {
            emit(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
        } else {
            partial.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    /**
     * Stops writing to the file system; lines are kept in memory until {@link #release()}. Waits for
     * a write of {@link #unlessHeld} in flight.
     */
    @Override
    public void hold() {
        synchronized (window) {
            synchronized (this) {
                holding = true;
            }
        }
    }

    @Override
    public synchronized boolean holding() {
        return holding;
    }

    /**
     * Under the window lock, as {@link #hold()} is: a hold waits for the write in flight, and no
     * write starts while a hold is in force. Not under this sink's monitor: the write may log, and
     * a line reaches the sink through System.err's own lock, which another thread may hold while it
     * waits for this monitor.
     */
    @Override
    public boolean unlessHeld(Runnable write) {
        synchronized (window) {
            if (holding()) {
                return false;
            }
            write.run();
            return true;
        }
    }

    /** Writes what was held, then resumes writing line by line. */
    @Override
    public synchronized void release() throws IOException {
        holding = false;
        List<String> lines = new ArrayList<>(held);
        held.clear();
        for (String line : lines) {
            append(line);
        }
        if (droppedWhileHeld > 0) {
            append(stamped("event=log-lines-dropped count=" + droppedWhileHeld));
            droppedWhileHeld = 0;
        }
    }

    /** The lines this process logged so far (redacted; the most recent 20,000), for the logs blob upload. */
    public synchronized List<String> linesOfThisProcess() {
        return List.copyOf(recent);
    }

    private void emit(String rawLine) throws IOException {
        String line = stamped(redactor.redact(rawLine.stripTrailing()));
        if (recent.size() == MAX_HELD_LINES) {
            recent.removeFirst();
        }
        recent.addLast(line);
        if (holding) {
            if (held.size() < MAX_HELD_LINES) {
                held.add(line);
            } else {
                droppedWhileHeld++;
            }
            return;
        }
        append(line);
    }

    private String stamped(String text) {
        return prefix + LogTimestamp.of(clock.millis()) + ' ' + text;
    }

    private void append(String line) throws IOException {
        logFile.append((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Every line is written when it is complete (or released): nothing is buffered here. */
    @Override
    public synchronized void flush() {
    }

    @Override
    public synchronized void close() throws IOException {
        if (partial.size() > 0) {
            emit(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
        }
        if (holding) {
            release();
        }
        logFile.close();
    }
}

package io.vmsnapshot.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Drains a child's output pipe continuously so the child never blocks on a full pipe, cuts it
 * into lines (a line longer than {@link #MAX_LINE_BYTES} is split; bytes that are not UTF-8 become
 * U+FFFD) and keeps the last few for the status message. It reads until end of file even after
 * the caller stopped waiting, so a background process of the script that holds the pipe can keep
 * writing without ever blocking.
 */
final class OutputPump implements Runnable {
    static final int MAX_LINE_BYTES = 4096;

    private final InputStream in;
    private final LineSink sink;
    private final int tailSize;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final CompletableFuture<Void> endOfFile = new CompletableFuture<>();
    private final byte[] line = new byte[MAX_LINE_BYTES];
    private int lineLength;
    private boolean sinkBroken;

    OutputPump(InputStream in, LineSink sink, int tailSize) {
        this.in = Objects.requireNonNull(in, "in");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.tailSize = tailSize;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[16 * 1024];
        try (in) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    accept(buffer[i]);
                }
            }
        } catch (IOException e) {
            // The pipe was closed under us (the JDK closes it once the child is reaped): that is the end.
        } finally {
            if (lineLength > 0) {
                emit();
            }
            endOfFile.complete(null);
        }
    }

    CompletableFuture<Void> endOfFile() {
        return endOfFile;
    }

    synchronized List<String> tail() {
        return List.copyOf(tail);
    }

    private void accept(byte b) {
        if (b == '\n') {
            emit();
            return;
        }
        line[lineLength++] = b;
        if (lineLength == MAX_LINE_BYTES) {
            emit();
        }
    }

    private void emit() {
        int length = lineLength;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        String text = new String(line, 0, length, StandardCharsets.UTF_8);
        lineLength = 0;
        synchronized (this) {
            if (tail.size() == tailSize) {
                tail.removeFirst();
            }
            tail.addLast(text);
        }
        if (!sinkBroken) {
            try {
                sink.line(text);
            } catch (RuntimeException e) {
                // Draining must go on whatever the sink does, or the child blocks on a full pipe.
                sinkBroken = true;
            }
        }
    }
}

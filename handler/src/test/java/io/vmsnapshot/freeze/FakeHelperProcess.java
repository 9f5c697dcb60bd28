package io.vmsnapshot.freeze;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A scripted stand-in for the helper: lines it prints at start, lines it answers to each command,
 * and whether a command ends it. Records what it was sent and whether it was stopped.
 */
final class FakeHelperProcess extends Process {
    private static final byte[] EOF = new byte[0];

    private final BlockingQueue<byte[]> stdout = new LinkedBlockingQueue<>();
    private final Map<String, List<String>> answers = new HashMap<>();
    private final Map<String, Integer> exitsOn = new HashMap<>();
    private final Map<String, Runnable> actions = new HashMap<>();
    private final List<String> received = new ArrayList<>();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final long pid;
    private boolean stdinClosed;
    private boolean destroyed;
    private boolean killed;
    private boolean ignoresTerm;

    FakeHelperProcess(long pid) {
        this.pid = pid;
    }

    FakeHelperProcess emit(String... lines) {
        for (String line : lines) {
            stdout.add((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    FakeHelperProcess on(String command, String... lines) {
        answers.put(command, List.of(lines));
        return this;
    }

    /** Runs {@code action} when {@code command} arrives, before answering it. */
    FakeHelperProcess whenReceived(String command, Runnable action) {
        actions.put(command, action);
        return this;
    }

    FakeHelperProcess exitOn(String command, int code) {
        exitsOn.put(command, code);
        return this;
    }

    synchronized void exit(int code) {
        if (!exit.isDone()) {
            stdout.add(EOF);
            exit.complete(code);
        }
    }

    synchronized List<String> received() {
        return List.copyOf(received);
    }

    synchronized boolean stdinClosed() {
        return stdinClosed;
    }

    synchronized boolean destroyed() {
        return destroyed;
    }

    private synchronized void receive(String command) throws IOException {
        if (exit.isDone()) {
            throw new IOException("Broken pipe");
        }
        received.add(command);
        actions.getOrDefault(command, () -> { }).run();
        answers.getOrDefault(command, List.of()).forEach(this::emit);
        Integer code = exitsOn.get(command);
        if (code != null) {
            exit(code);
        }
    }

    @Override
    public OutputStream getOutputStream() {
        return new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void write(int b) throws IOException {
                if (b == '\n') {
                    receive(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b);
                }
            }

            @Override
            public void close() {
                synchronized (FakeHelperProcess.this) {
                    stdinClosed = true;
                }
            }
        };
    }

    @Override
    public InputStream getInputStream() {
        return new InputStream() {
            private byte[] current = new byte[0];
            private int at;

            @Override
            public int read() throws IOException {
                while (current != EOF && at >= current.length) {
                    try {
                        current = stdout.take();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    at = 0;
                }
                if (current == EOF) {
                    stdout.add(EOF);
                    return -1;
                }
                return current[at++] & 0xff;
            }

            /* Hands out what one emitted line holds, never blocking for more once it has some. */
            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                int first = read();
                if (first < 0) {
                    return -1;
                }
                buffer[offset] = (byte) first;
                int n = Math.min(length - 1, current.length - at);
                System.arraycopy(current, at, buffer, offset + 1, n);
                at += n;
                return n + 1;
            }
        };
    }

    @Override
    public InputStream getErrorStream() {
        return InputStream.nullInputStream();
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int exitValue() {
        if (!exit.isDone()) {
            throw new IllegalThreadStateException("still running");
        }
        return exit.join();
    }

    @Override
    public synchronized void destroy() {
        destroyed = true;
        if (!ignoresTerm) {
            exit(143);
        }
    }

    /** SIGKILL: ends even a helper that ignores SIGTERM (a stopped one). */
    @Override
    public synchronized Process destroyForcibly() {
        killed = true;
        exit(137);
        return this;
    }

    synchronized boolean killed() {
        return killed;
    }

    /** Like a helper stuck in an uninterruptible FIFREEZE: SIGTERM does not end it. */
    FakeHelperProcess ignoreTerm() {
        ignoresTerm = true;
        return this;
    }

    @Override
    public long pid() {
        return pid;
    }
}

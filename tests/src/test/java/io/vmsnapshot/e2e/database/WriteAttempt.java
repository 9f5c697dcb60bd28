package io.vmsnapshot.e2e.database;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One INSERT in its own client process: tells whether the server takes writes, or holds them. */
final class WriteAttempt implements AutoCloseable {
    private final Process client;

    private WriteAttempt(Process client) {
        this.client = client;
    }

    static WriteAttempt start(MariaDbServer server, String table, long seq) {
        List<String> argv = new ArrayList<>(server.client());
        argv.addAll(List.of("-e", "INSERT INTO " + table + " (client, seq) VALUES (9, " + seq + ")"));
        try {
            return new WriteAttempt(new ProcessBuilder(argv).redirectErrorStream(true).start());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start a client: " + e.getMessage(), e);
        }
    }

    /** True when the insert committed within {@code wait}. */
    boolean commitsWithin(Duration wait) throws InterruptedException {
        return client.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS) && client.exitValue() == 0;
    }

    @Override
    public void close() {
        client.destroyForcibly();
    }
}

package io.vmsnapshot.e2e.database;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A steady insert loop as the write load: one client session, autocommit, one row per
 * {@code period} into {@code app.ledger(client, seq)}; after each INSERT a {@code SELECT seq}
 * whose answer tells the commit happened. The schedule is fixed, so a stall shows in every insert
 * it delays. Runs the real {@code mariadb} client on a pipe; the JVM holds no database driver.
 */
final class InsertLoop implements AutoCloseable {
    private final Process client;
    private final Duration period;
    private final List<Commit> commits = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Exception failure;

    private InsertLoop(Process client, Duration period) {
        this.client = client;
        this.period = period;
        this.thread = new Thread(this::loop, "insert-loop");
    }

    static void prepare(MariaDbServer server) {
        server.sql("CREATE DATABASE app; CREATE TABLE app.ledger (client int NOT NULL, seq bigint NOT NULL,"
                + " PRIMARY KEY (client, seq)) ENGINE=InnoDB");
    }

    static InsertLoop start(MariaDbServer server, Duration period) throws IOException {
        Process client = new ProcessBuilder(server.client()).redirectErrorStream(true).start();
        InsertLoop loop = new InsertLoop(client, period);
        loop.thread.start();
        return loop;
    }

    boolean isRunning() {
        return thread.isAlive();
    }

    private void loop() {
        try (Writer in = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8);
             BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
            Instant start = Instant.now();
            for (long seq = 0; !stopping; seq++) {
                Instant scheduled = start.plus(period.multipliedBy(seq));
                long wait = Duration.between(Instant.now(), scheduled).toNanos();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                in.write("INSERT INTO app.ledger (client, seq) VALUES (0, " + seq + "); SELECT " + seq + ";\n");
                in.flush();
                String answer = out.readLine();
                Instant committed = Instant.now();
                if (answer == null || !answer.equals(Long.toString(seq))) {
                    throw new IllegalStateException("insert " + seq + " answered '" + answer + "'");
                }
                synchronized (commits) {
                    commits.add(new Commit(0, seq, scheduled, committed));
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends the loop after the insert in flight and returns every commit it saw. */
    List<Commit> stop() throws InterruptedException {
        stopping = true;
        thread.join(TimeUnit.SECONDS.toMillis(60));
        if (thread.isAlive()) {
            client.destroyForcibly();
            thread.join(TimeUnit.SECONDS.toMillis(10));
            throw new IllegalStateException("the insert loop did not end within 60 s");
        }
        if (failure != null) {
            throw new IllegalStateException("the insert loop failed: " + failure.getMessage(), failure);
        }
        client.waitFor(10, TimeUnit.SECONDS);
        synchronized (commits) {
            return List.copyOf(commits);
        }
    }

    @Override
    public void close() {
        stopping = true;
        client.destroyForcibly();
    }
}

package io.vmsnapshot.e2e.database;

import io.vmsnapshot.e2e.fixtures.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * pgbench as the write load: each transaction updates a pgbench account, appends a history row
 * and appends the client's next row to {@code ledger(client, seq)}, paced at a fixed rate so that
 * a stall shows in the latency of every transaction it delays. Every commit is logged by pgbench
 * (-l: client, completion time, latency from the scheduled start) into {@code logDir}, off the
 * frozen file system. pgbench has no clean early stop: it is ended with SIGTERM, which loses the
 * unflushed tail of its logs, so {@link Run#completeUntil()} says up to when the log is whole.
 */
final class PgbenchLoad implements AutoCloseable {
    /** pgbench threads (-j): each writes a log file of its own. */
    private static final int THREADS = 2;
    private static final String SCRIPT = """
            \\set aid random(1, 100000 * :scale)
            \\set delta random(-5000, 5000)
            BEGIN;
            UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;
            INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (1, 1, :aid, :delta, CURRENT_TIMESTAMP);
            INSERT INTO ledger (client, seq) SELECT :client_id, coalesce(max(seq) + 1, 0) FROM ledger WHERE client = :client_id;
            END;
            """;

    /** What the load saw: every logged commit, and the instant up to which every thread's log is complete. */
    record Run(List<Commit> commits, Instant completeUntil) {
    }

    private final Process pgbench;
    private final Path logDir;

    private PgbenchLoad(Process pgbench, Path logDir) {
        this.pgbench = pgbench;
        this.logDir = logDir;
    }

    /** Creates the pgbench tables (scale 1) and the ledger. */
    static void prepare(PostgresCluster cluster) {
        cluster.sql("CREATE TABLE ledger (client int NOT NULL, seq bigint NOT NULL, PRIMARY KEY (client, seq))");
        Processes.check(Processes.asUser(PostgresCluster.OS_USER, List.of(cluster.bin().resolve("pgbench").toString(),
                "-h", cluster.socketDir().toString(), "-p", Integer.toString(PostgresCluster.PORT), "-i", "-s", "1", "-q",
                "postgres")), Duration.ofMinutes(2));
    }

    /** @param logDir a directory owned by postgres, not on the frozen file system */
    static PgbenchLoad start(PostgresCluster cluster, Path logDir, int clients, int transactionsPerSecond) throws IOException {
        Path script = logDir.resolve("ledger.sql");
        Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
        Command.check(10, "chown", PostgresCluster.OS_USER, script.toString());
        List<String> argv = Processes.asUser(PostgresCluster.OS_USER, List.of(cluster.bin().resolve("pgbench").toString(),
                "-h", cluster.socketDir().toString(), "-p", Integer.toString(PostgresCluster.PORT), "-n",
                "-c", Integer.toString(clients), "-j", Integer.toString(THREADS), "-T", "600",
                "-R", Integer.toString(transactionsPerSecond),
                "-f", script.toString(), "-l", "--log-prefix=" + logDir.resolve("pgbench"), "postgres"));
        return new PgbenchLoad(Processes.start(argv, logDir.resolve("pgbench.out")), logDir);
    }

    boolean isRunning() {
        return pgbench.isAlive();
    }

    /**
     * Waits until every thread's log holds a commit after {@code instant}. pgbench writes its logs
     * in blocks, so how soon that is depends on the rate the machine sustains, not on a fixed time.
     */
    void awaitLoggedPast(Instant instant, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!loggedPast(instant)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("pgbench's logs did not reach " + instant + " within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private boolean loggedPast(Instant instant) throws IOException {
        List<Path> files = logFiles();
        if (files.size() < THREADS) {
            return false;
        }
        for (Path file : files) {
            Instant last = Instant.MIN;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] fields = line.trim().split(" ");
                if (fields.length >= 6 && fields[5].matches("\\d+")) {
                    last = completion(fields);
                }
            }
            if (!last.isAfter(instant)) {
                return false;
            }
        }
        return true;
    }

    private List<Path> logFiles() throws IOException {
        try (Stream<Path> list = Files.list(logDir)) {
            return list.filter(p -> p.getFileName().toString().matches("pgbench\\.\\d+(\\.\\d+)?")).sorted().toList();
        }
    }

    /**
     * Ends pgbench and reads its logs. SIGTERM, not SIGINT: pgbench handles neither, and a test
     * run started as a background job of a non-interactive shell hands every child SIGINT ignored.
     */
    Run stop() throws IOException, InterruptedException {
        Processes.signal(pgbench.pid(), "TERM");
        if (!pgbench.waitFor(30, TimeUnit.SECONDS)) {
            pgbench.destroyForcibly();
            throw new IllegalStateException("pgbench did not end on SIGTERM");
        }
        return readLogs();
    }

    /*
     * Log line: client_id transaction_no latency_us script_no epoch_s epoch_us [schedule_lag_us]. Each
     * thread writes its own file in completion order; a line cut by the signal is skipped.
     */
    private Run readLogs() throws IOException {
        List<String[]> entries = new ArrayList<>();
        Instant completeUntil = Instant.MAX;
        List<Path> files = logFiles();
        if (files.isEmpty()) {
            throw new IllegalStateException("pgbench wrote no log in " + logDir + ": " + Files.readString(logDir.resolve("pgbench.out")));
        }
        for (Path file : files) {
            Instant last = Instant.MIN;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] fields = line.trim().split(" ");
                if (fields.length >= 6 && fields[5].matches("\\d+")) {
                    entries.add(fields);
                    last = completion(fields);
                }
            }
            completeUntil = last.isBefore(completeUntil) ? last : completeUntil;
        }
        entries.sort((a, b) -> completion(a).compareTo(completion(b)));
        Map<Integer, Long> ordinals = new HashMap<>();
        List<Commit> commits = new ArrayList<>();
        for (String[] fields : entries) {
            int client = Integer.parseInt(fields[0]);
            Instant committed = completion(fields);
            Instant scheduled = committed.minusNanos(Long.parseLong(fields[2]) * 1000);
            long ordinal = ordinals.merge(client, 1L, Long::sum) - 1;
            commits.add(new Commit(client, ordinal, scheduled, committed));
        }
        return new Run(List.copyOf(commits), completeUntil);
    }

    private static Instant completion(String[] fields) {
        return Instant.ofEpochSecond(Long.parseLong(fields[4]), Long.parseLong(fields[5]) * 1000);
    }

    @Override
    public void close() {
        if (pgbench.isAlive()) {
            pgbench.destroyForcibly();
        }
    }
}

package io.vmsnapshot.e2e.database;

import io.vmsnapshot.e2e.fixtures.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL instance of our own, never the system's: data directory where the test says (on
 * its loop mount), socket and server log in {@code runDir} (owned by postgres, outside the frozen
 * file system), unix socket only, small memory and WAL settings for a 256 MiB disk. Runs as the
 * postgres user; peer authentication, as a Debian server has it. Server output goes to runDir/server.log.
 */
final class PostgresCluster implements AutoCloseable {
    static final String OS_USER = "postgres";
    static final int PORT = 5432;
    private static final Duration START = Duration.ofSeconds(60);
    private static final List<String> SERVER_OPTIONS = List.of("listen_addresses=", "shared_buffers=16MB",
            "max_wal_size=64MB", "min_wal_size=32MB", "fsync=on", "synchronous_commit=on", "logging_collector=off");

    private final Path bin;
    private final Path dataDir;
    private final Path runDir;
    private Process postmaster;

    private PostgresCluster(Path bin, Path dataDir, Path runDir) {
        this.bin = bin;
        this.dataDir = dataDir;
        this.runDir = runDir;
    }

    /** initdb into {@code dataDir} (created, owned by postgres) and start. */
    static PostgresCluster initialize(Path bin, Path dataDir, Path runDir) throws IOException {
        Files.createDirectories(dataDir);
        Command.check(10, "chown", OS_USER + ":" + OS_USER, dataDir.toString());
        Command.check(10, "chmod", "700", dataDir.toString());
        Processes.check(Processes.asUser(OS_USER, List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(),
                "-U", OS_USER, "--auth-local=peer", "--auth-host=scram-sha-256", "--no-instructions")), START);
        return startExisting(bin, dataDir, runDir);
    }

    /**
     * Starts on a data directory that already exists, e.g. one restored from a snapshot (crash
     * recovery runs). The postmaster is this JVM's child, not pg_ctl's: where PID 1 does not reap
     * orphans (containers), a stopped postmaster started by pg_ctl stays a zombie whose pid, still
     * in the restored copy's postmaster.pid, makes the next start refuse.
     */
    static PostgresCluster startExisting(Path bin, Path dataDir, Path runDir) {
        PostgresCluster cluster = new PostgresCluster(bin, dataDir, runDir);
        List<String> argv = new ArrayList<>(List.of(bin.resolve("postgres").toString(), "-D", dataDir.toString(),
                "-k", runDir.toString(), "-p", Integer.toString(PORT)));
        SERVER_OPTIONS.forEach(o -> argv.addAll(List.of("-c", o)));
        cluster.postmaster = Processes.start(Processes.asUser(OS_USER, argv), cluster.serverLog());
        cluster.awaitReady();
        return cluster;
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START);
        while (Instant.now().isBefore(deadline)) {
            if (!postmaster.isAlive()) {
                throw new IllegalStateException("PostgreSQL exited with " + postmaster.exitValue() + " on " + dataDir
                        + "\n--- server log:\n" + serverLogText());
            }
            if (Processes.run(List.of(bin.resolve("pg_isready").toString(), "-q", "-h", runDir.toString(),
                    "-p", Integer.toString(PORT)), Duration.ofSeconds(10)).exitCode() == 0) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        stop();
        throw new IllegalStateException("PostgreSQL did not accept connections within " + START + "\n--- server log:\n"
                + serverLogText());
    }

    Path bin() {
        return bin;
    }

    Path socketDir() {
        return runDir;
    }

    Path serverLog() {
        return runDir.resolve("server.log");
    }

    /** The result of one SQL text (psql -At), or an exception with psql's message. */
    String sql(String text) {
        return Processes.check(psql(List.of("-At", "-c", text)), Duration.ofSeconds(60)).output();
    }

    List<String> psql(List<String> arguments) {
        List<String> argv = new ArrayList<>(List.of(bin.resolve("psql").toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", runDir.toString(), "-p", Integer.toString(PORT), "-d", "postgres"));
        argv.addAll(arguments);
        return Processes.asUser(OS_USER, argv);
    }

    /** pg_amcheck over every database, heap and B-tree indexes; installs amcheck where missing. */
    Command.Result amcheck() {
        return Processes.run(Processes.asUser(OS_USER, List.of(bin.resolve("pg_amcheck").toString(), "-h", runDir.toString(),
                "-p", Integer.toString(PORT), "--all", "--install-missing", "--heapallindexed", "--progress")),
                Duration.ofMinutes(2));
    }

    /** Fast shutdown (SIGINT), immediate (SIGQUIT) if that hangs, SIGKILL as the last resort. */
    void stop() {
        try {
            for (String signal : List.of("INT", "QUIT")) {
                if (!postmaster.isAlive()) {
                    return;
                }
                Processes.signal(postmaster.pid(), signal);
                if (postmaster.waitFor(60, TimeUnit.SECONDS)) {
                    return;
                }
            }
            postmaster.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            postmaster.destroyForcibly();
        }
    }

    String serverLogText() {
        try {
            return Files.exists(serverLog()) ? Files.readString(serverLog(), StandardCharsets.UTF_8) : "(no server log)";
        } catch (IOException e) {
            return "(server log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        stop();
    }
}

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
 * A MariaDB server of our own, never the system's: data directory where the test says (on its
 * loop mount), socket, pid file, error log and tmpdir in {@code runDir} (owned by mysql, outside
 * the frozen file system), no TCP, no option files read ({@code --no-defaults}), small buffers for
 * a 256 MiB disk. OS root connects as the database root through unix_socket authentication, as
 * on a Debian server.
 */
final class MariaDbServer implements AutoCloseable {
    static final String OS_USER = "mysql";
    private static final Duration START = Duration.ofSeconds(60);
    private static final List<String> SERVER_OPTIONS = List.of("--skip-networking", "--innodb-buffer-pool-size=32M",
            "--innodb-log-file-size=16M", "--innodb-flush-log-at-trx-commit=1", "--skip-log-bin");

    private final Path dataDir;
    private final Path runDir;
    private Process server;

    private MariaDbServer(Path dataDir, Path runDir) {
        this.dataDir = dataDir;
        this.runDir = runDir;
    }

    /** mariadb-install-db into {@code dataDir} (created, owned by mysql) and start. */
    static MariaDbServer initialize(Path dataDir, Path runDir) throws IOException {
        Files.createDirectories(dataDir);
        Command.check(10, "chown", OS_USER + ":" + OS_USER, dataDir.toString());
        Files.createDirectories(runDir.resolve("tmp"));
        Command.check(10, "chown", OS_USER + ":" + OS_USER, runDir.resolve("tmp").toString());
        Processes.check(List.of(DatabasePackages.program("mariadb-install-db").toString(), "--no-defaults",
                "--user=" + OS_USER, "--datadir=" + dataDir, "--tmpdir=" + runDir.resolve("tmp"),
                "--auth-root-authentication-method=socket", "--skip-test-db", "--innodb-log-file-size=16M"), START);
        return startExisting(dataDir, runDir);
    }

    /** Starts on a data directory that already exists, e.g. one restored from a snapshot (crash recovery runs). */
    static MariaDbServer startExisting(Path dataDir, Path runDir) throws IOException {
        MariaDbServer instance = new MariaDbServer(dataDir, runDir);
        Files.createDirectories(runDir.resolve("tmp"));
        Command.check(10, "chown", OS_USER + ":" + OS_USER, runDir.resolve("tmp").toString());
        List<String> argv = new ArrayList<>(List.of(DatabasePackages.program("mariadbd").toString(), "--no-defaults",
                "--user=" + OS_USER, "--datadir=" + dataDir, "--socket=" + instance.socket(),
                "--pid-file=" + runDir.resolve("mariadbd.pid"), "--log-error=" + instance.errorLog(),
                "--tmpdir=" + runDir.resolve("tmp")));
        argv.addAll(SERVER_OPTIONS);
        instance.server = Processes.start(argv, runDir.resolve("mariadbd.out"));
        instance.awaitReady();
        return instance;
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START);
        while (Instant.now().isBefore(deadline)) {
            if (!server.isAlive()) {
                throw new IllegalStateException("mariadbd exited with " + server.exitValue() + " on " + dataDir
                        + "\n--- error log:\n" + errorLogText());
            }
            if (Processes.run(List.of(DatabasePackages.program("mariadb-admin").toString(), "--socket=" + socket(),
                    "--user=root", "ping"), Duration.ofSeconds(10)).exitCode() == 0) {
                return;
            }
            sleep(100);
        }
        close();
        throw new IllegalStateException("mariadbd did not answer within " + START + "\n--- error log:\n" + errorLogText());
    }

    Path socket() {
        return runDir.resolve("mariadbd.sock");
    }

    Path errorLog() {
        return runDir.resolve("error.log");
    }

    /** The client argv (batch, no column names, unbuffered) for root over the socket. */
    List<String> client() {
        return List.of(DatabasePackages.program("mariadb").toString(), "--socket=" + socket(), "--user=root", "--batch",
                "--skip-column-names", "--unbuffered");
    }

    /** The result of one SQL text, or an exception with the client's message. */
    String sql(String text) {
        List<String> argv = new ArrayList<>(client());
        argv.addAll(List.of("-e", text));
        return Processes.check(argv, Duration.ofSeconds(60)).output();
    }

    /** mariadb-check --extended over every database. */
    Command.Result check() {
        return Processes.run(List.of(DatabasePackages.program("mariadb-check").toString(), "--socket=" + socket(),
                "--user=root", "--all-databases", "--extended"), Duration.ofMinutes(2));
    }

    String errorLogText() {
        try {
            return Files.exists(errorLog()) ? Files.readString(errorLog(), StandardCharsets.UTF_8) : "(no error log)";
        } catch (IOException e) {
            return "(error log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (server == null || !server.isAlive()) {
            return;
        }
        server.destroy(); // SIGTERM: mariadbd shuts down cleanly
        try {
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.destroyForcibly();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

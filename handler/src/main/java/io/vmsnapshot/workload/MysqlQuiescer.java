package io.vmsnapshot.workload;

import io.vmsnapshot.error.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MySQL and MariaDB: a holder session takes {@code FLUSH TABLES WITH READ LOCK}, prints its
 * connection id, and sleeps for the timeout inside the server ({@code SELECT SLEEP(n)}), so the
 * lock ends with the session when nobody releases it. The release kills that connection from a
 * second session ({@code KILL}), which interrupts the sleep and drops the lock at once; sessions of
 * a dead backup are found by the marker in their statement text and killed the same way. Unlike
 * upstream, {@code read_only} is never set: a holder that died would leave it on, and the lock alone
 * stops every write.
 */
final class MysqlQuiescer implements Quiescer {
    static final String MARKER = "vmsnapshot_workload_hold";
    private static final Pattern SESSION = Pattern.compile("SESSION (\\d+)");
    private static final Pattern LOCKED = Pattern.compile("LOCKED (\\d+) ([0-9.]+)");

    private final WorkloadConf conf;
    private final ClientRunner runner;
    private final Path client;
    private Holder holder;
    private long lockedAtNanos;

    MysqlQuiescer(WorkloadConf conf, ClientRunner runner) {
        this.conf = conf;
        this.runner = runner;
        this.client = client(conf);
    }

    private static Path client(WorkloadConf conf) {
        List<Path> dirs = conf.commandPath().map(List::of).orElse(
                List.of(Path.of("/usr/local/bin"), Path.of("/usr/bin"), Path.of("/bin")));
        List<String> names = conf.database() == Database.MARIADB ? List.of("mariadb", "mysql")
                : List.of("mysql", "mariadb");
        for (Path dir : dirs) {
            for (String name : names) {
                if (Files.isExecutable(dir.resolve(name))) {
                    return dir.resolve(name);
                }
            }
        }
        return dirs.get(0).resolve(names.get(0));
    }

    private List<String> command(String sql) {
        List<String> command = new ArrayList<>();
        command.add(client.toString());
        command.addAll(conf.credentials()); // an option file must come first, as the client requires
        command.addAll(List.of("--batch", "--skip-column-names", "--unbuffered", "--connect-timeout=10", "-e", sql));
        return command;
    }

    @Override
    public List<Step> quiesce() {
        List<Step> steps = new ArrayList<>();
        Optional<Step> refused = HolderStart.refusal(runner, client, conf.database());
        if (refused.isPresent()) {
            steps.add(refused.get());
            return steps;
        }
        Step leftovers = killHolders("connect and end sessions left by an earlier backup");
        steps.add(leftovers);
        if (leftovers.error().isPresent()) {
            return steps;
        }
        long seconds = conf.timeout().toSeconds();
        // The id comes first: a FLUSH that is still waiting when we give up is killed by it.
        String sql = "SET SESSION lock_wait_timeout = " + seconds + "; SELECT CONCAT('SESSION ', CONNECTION_ID()); "
                + "FLUSH TABLES WITH READ LOCK; "
                + "SELECT CONCAT('LOCKED ', CONNECTION_ID(), ' ', UNIX_TIMESTAMP(NOW(6))); SELECT SLEEP(" + seconds + ") AS " + MARKER + ";";
        String name = "FLUSH TABLES WITH READ LOCK";
        long start = System.nanoTime();
        holder = HolderStart.start(name, start, client, () -> runner.hold(command(sql), Map.of(),
                conf.timeout().multipliedBy(2).plusSeconds(30), conf.timeout(), line -> LOCKED.matcher(line).matches()),
                steps).orElse(null);
        if (holder == null) {
            return steps;
        }
        if (holder.readyLine().isEmpty()) {
            holder.lines().stream().map(SESSION::matcher).filter(Matcher::matches).findFirst()
                    .ifPresent(m -> runner.run(command("KILL " + m.group(1)), Map.of(), conf.timeout()));
            holder.end(ClientRunner.KILL_GRACE.multipliedBy(2));
            steps.add(Step.failed(name, elapsed(start), holder.lines(), ErrorCode.WORKLOAD_QUIESCE_FAILED,
                    conf.database().configName() + ": FLUSH TABLES WITH READ LOCK was not confirmed within "
                            + seconds + " s (timeout in workload.conf): " + lastWords(holder.lines())));
            holder = null;
            return steps;
        }
        lockedAtNanos = System.nanoTime();
        steps.add(Step.ok(name, elapsed(start), List.of("lock held by connection " + connectionId().orElse("?")
                + " since " + lockedAtServer().orElse("?") + " (server clock, epoch seconds); it ends by itself after "
                + seconds + " s")));
        return steps;
    }

    @Override
    public List<Step> release() {
        List<Step> steps = new ArrayList<>();
        String name = "UNLOCK (KILL of the holding session)";
        if (holder != null) {
            long heldMillis = (System.nanoTime() - lockedAtNanos) / 1_000_000;
            boolean lost = !holder.alive();
            long start = System.nanoTime();
            Optional<String> id = connectionId();
            ClientRunner.Outcome kill = id.map(i -> runner.run(command("KILL " + i), Map.of(), conf.timeout()))
                    .orElse(null);
            holder.end(ClientRunner.KILL_GRACE.multipliedBy(2));
            holder = null;
            if (lost) {
                steps.add(Step.failed(name, elapsed(start), List.of(), ErrorCode.WORKLOAD_QUIESCE_TIMEOUT,
                        conf.database().configName() + ": the lock had already ended before the release ("
                                + "timeout " + conf.timeout().toSeconds() + " s in workload.conf); writes were held "
                                + "until then"));
            } else if (kill != null && !kill.succeeded()) {
                steps.add(Step.failed(name, kill, ErrorCode.WORKLOAD_POST_FAILED, conf.database().configName()
                        + ": KILL " + id.get() + " failed (" + kill.summary() + "); the session was ended instead"));
            } else {
                steps.add(Step.ok("UNLOCK after writes held " + heldMillis + " ms", elapsed(start),
                        List.of("writes held " + heldMillis + " ms")));
            }
        }
        Step sweep = killHolders("end any session of an earlier backup");
        if (steps.isEmpty()) {
            // Nothing of this run to release: a server we cannot reach holds no lock of ours that
            // outlives its timeout, so this is worth a line, not an error.
            steps.add(sweep.error().map(f -> Step.ok(sweep.name(), sweep.duration(), List.of(f.detail())))
                    .orElse(sweep));
        }
        return steps;
    }

    private Optional<String> connectionId() {
        return holder == null ? Optional.empty() : holder.readyLine().map(line -> {
            Matcher m = LOCKED.matcher(line);
            return m.matches() ? m.group(1) : null;
        });
    }

    /** The client's error lines, else its last line: its echo of the statement says nothing. */
    private static String lastWords(List<String> lines) {
        List<String> errors = lines.stream().filter(l -> l.startsWith("ERROR")).toList();
        return errors.isEmpty() ? (lines.isEmpty() ? "no answer" : lines.get(lines.size() - 1)) : String.join(" / ", errors);
    }

    private Optional<String> lockedAtServer() {
        return holder == null ? Optional.empty() : holder.readyLine().map(line -> {
            Matcher m = LOCKED.matcher(line);
            return m.matches() ? m.group(2) : null;
        });
    }

    /** Kills every session whose statement carries the marker: holders of this or of a dead backup. */
    private Step killHolders(String name) {
        String find = "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '%" + MARKER
                + "%' AND ID <> CONNECTION_ID();";
        ClientRunner.Outcome found = runner.run(command(find), Map.of(), conf.timeout());
        if (!found.succeeded()) {
            return Step.failed(name, found, ErrorCode.WORKLOAD_CONNECTION_FAILED, conf.database().configName()
                    + ": " + client + " as " + runner.user().name() + " could not query the server ("
                    + found.summary() + ")");
        }
        List<String> ids = found.lines().stream().map(String::strip).filter(l -> l.matches("\\d+")).toList();
        if (ids.isEmpty()) {
            return Step.ok(name, found.duration(), List.of("no session left by an earlier backup"));
        }
        StringBuilder kills = new StringBuilder();
        ids.forEach(id -> kills.append("KILL ").append(id).append("; "));
        ClientRunner.Outcome killed = runner.run(command(kills.toString()), Map.of(), conf.timeout());
        return Step.ok(name, found.duration().plus(killed.duration()),
                List.of("ended sessions left by an earlier backup: " + String.join(", ", ids)));
    }

    private static Duration elapsed(long startNanos) {
        return HolderStart.elapsed(startNanos);
    }
}

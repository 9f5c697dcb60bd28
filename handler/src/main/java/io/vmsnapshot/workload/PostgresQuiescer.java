package io.vmsnapshot.workload;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.prepost.Finding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL: a holder session starts a non-exclusive base backup ({@code pg_backup_start}, fast
 * checkpoint; {@code pg_start_backup(label, true, false)} before 15) and then sleeps for the
 * timeout inside the server. Backup mode belongs to that session: when the session ends, by the
 * release or by its own timeout, the server ends the backup. Upstream's exclusive
 * {@code pg_start_backup} left a {@code backup_label} behind when the post never came and is gone
 * since PostgreSQL 15. The snapshot is atomic (all disks at one instant, under the freeze), so the
 * restored server does a crash recovery from the checkpoint the backup start forced; the backup
 * mode adds full-page writes while the snapshot is taken. Sessions are found by their
 * application name, so a later backup ends what a dead one left.
 */
final class PostgresQuiescer implements Quiescer {
    static final String APPLICATION = "vmsnapshot-workload";
    private static final String READY = "BACKUP STARTED";

    private final WorkloadConf conf;
    private final ClientRunner runner;
    private final Path psql;
    private Holder holder;
    private long startedAtNanos;

    PostgresQuiescer(WorkloadConf conf, ClientRunner runner) {
        this.conf = conf;
        this.runner = runner;
        this.psql = conf.commandPath().orElse(Path.of("/usr/bin")).resolve("psql");
    }

    private List<String> command(String... sql) {
        List<String> command = new ArrayList<>(List.of(psql.toString(), "-X", "-q", "-A", "-t", "-v",
                "ON_ERROR_STOP=1"));
        command.addAll(conf.credentials());
        for (String statement : sql) {
            command.add("-c");
            command.add(statement);
        }
        return command;
    }

    private Map<String, String> env() {
        return Map.of("PGAPPNAME", APPLICATION, "PGCONNECT_TIMEOUT", "10");
    }

    @Override
    public List<Step> quiesce() {
        List<Step> steps = new ArrayList<>();
        Optional<Step> refused = HolderStart.refusal(runner, psql, Database.POSTGRES);
        if (refused.isPresent()) {
            steps.add(refused.get());
            return steps;
        }
        String connect = "connect and end sessions left by an earlier backup";
        ClientRunner.Outcome version = runner.run(command(terminateOthers(), "SELECT current_setting('server_version_num')"),
                env(), conf.timeout());
        if (!version.succeeded()) {
            steps.add(Step.failed(connect, version, ErrorCode.WORKLOAD_CONNECTION_FAILED, "postgres: " + psql + " as "
                    + runner.user().name() + " could not query the server (" + version.summary() + ")"));
            return steps;
        }
        List<String> answers = version.lines().stream().map(String::strip).toList();
        steps.add(Step.ok(connect, version.duration(), answers.size() != 2 ? answers : List.of("server_version_num "
                + answers.get(1) + "; sessions of an earlier backup ended: " + answers.get(0))));
        boolean modern = version.lines().stream().map(String::strip).filter(l -> l.matches("\\d{5,6}"))
                .mapToInt(Integer::parseInt).anyMatch(v -> v >= 150000);
        String begin = modern ? "SELECT pg_backup_start('vmsnapshot', true)"
                : "SELECT pg_start_backup('vmsnapshot', true, false)";
        long seconds = conf.timeout().toSeconds();
        String name = modern ? "pg_backup_start" : "pg_start_backup";
        long start = System.nanoTime();
        holder = HolderStart.start(name, start, psql, () -> runner.hold(command(begin, "SELECT '" + READY
                + " ' || extract(epoch FROM clock_timestamp())", "SELECT pg_sleep(" + seconds + ")"), env(),
                conf.timeout().multipliedBy(2).plusSeconds(30), conf.timeout(), line -> line.startsWith(READY + " ")),
                steps).orElse(null);
        if (holder == null) {
            return steps;
        }
        if (holder.readyLine().isEmpty()) {
            holder.end(ClientRunner.KILL_GRACE.multipliedBy(2));
            List<String> lines = holder.lines();
            holder = null;
            runner.run(command(terminateOthers()), env(), conf.timeout());
            steps.add(Step.failed(name, elapsed(start), lines, ErrorCode.WORKLOAD_QUIESCE_FAILED,
                    "postgres: " + name + " was not confirmed within " + seconds + " s (timeout in workload.conf): "
                            + String.join(" / ", lines)));
            return steps;
        }
        startedAtNanos = System.nanoTime();
        String since = holder.readyLine().get().substring(READY.length()).strip();
        steps.add(Step.ok(name, elapsed(start), List.of("backup mode since " + since + " (server clock, epoch seconds),"
                + " held by a session that ends it by itself after " + seconds + " s")));
        return steps;
    }

    @Override
    public List<Step> release() {
        String name = "end backup mode (end the holding session)";
        long start = System.nanoTime();
        Optional<Finding> lost = Optional.empty();
        long held = 0;
        boolean heldOne = holder != null;
        if (holder != null) {
            held = (System.nanoTime() - startedAtNanos) / 1_000_000;
            if (!holder.alive()) {
                lost = Optional.of(new Finding(ErrorCode.WORKLOAD_QUIESCE_TIMEOUT, "postgres: backup mode had already "
                        + "ended before the release (timeout " + conf.timeout().toSeconds() + " s in workload.conf)"));
            }
        }
        ClientRunner.Outcome ended = runner.run(command(terminateOthers()), env(), conf.timeout());
        if (holder != null) {
            holder.end(ClientRunner.KILL_GRACE.multipliedBy(2));
            holder = null;
        }
        if (lost.isPresent()) {
            return List.of(new Step(name, false, elapsed(start), ended.lines(), lost));
        }
        if (!ended.succeeded() && !heldOne) {
            return List.of(Step.ok(name, elapsed(start), List.of("no backup mode of this run to end; could not check"
                    + " for sessions of an earlier backup (" + ended.summary() + ")")));
        }
        if (!ended.succeeded()) {
            return List.of(Step.failed(name, ended, ErrorCode.WORKLOAD_POST_FAILED, "postgres: could not end the "
                    + "holding session through the server (" + ended.summary() + "); its process was killed, which "
                    + "ends backup mode"));
        }
        return List.of(Step.ok("end backup mode after " + held + " ms", elapsed(start),
                List.of("backup mode held " + held + " ms")));
    }

    private static String terminateOthers() {
        return "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '"
                + APPLICATION + "' AND pid <> pg_backend_pid()";
    }

    private static Duration elapsed(long startNanos) {
        return HolderStart.elapsed(startNanos);
    }
}

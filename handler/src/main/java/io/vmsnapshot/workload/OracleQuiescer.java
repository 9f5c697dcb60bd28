package io.vmsnapshot.workload;

import io.vmsnapshot.error.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Oracle, as upstream: for every SID of the oratab, {@code sqlplus / as sysdba} as the linux user
 * with that SID's {@code ORACLE_SID}/{@code ORACLE_HOME}: {@code ALTER SYSTEM ARCHIVE LOG CURRENT}
 * and {@code ALTER DATABASE BEGIN BACKUP} before the freeze, {@code ALTER DATABASE END BACKUP}
 * after the thaw. Backup mode is not tied to a session, so a timer per SID (upstream's timeout
 * daemon) issues END BACKUP after the timeout unless the release ended it first. Before BEGIN
 * BACKUP, and at every release, datafiles still in backup mode ({@code V$BACKUP}, e.g. left by a
 * backup that died with its timer) are taken out of it first. A database that is not open has
 * nothing to quiesce, as upstream.
 */
final class OracleQuiescer implements Quiescer {
    private static final Pattern ORATAB = Pattern.compile("^(\\w+):(/[^:]*)(:.*)?$");
    private static final String HEADER = "WHENEVER SQLERROR EXIT FAILURE\nCONNECT / AS SYSDBA\n";
    static final String CHECK = HEADER + "SET HEADING OFF FEEDBACK OFF PAGESIZE 0 VERIFY OFF\n"
            + "SELECT 'STATUS='||STATUS FROM V$INSTANCE;\n"
            + "SELECT 'LOG_MODE='||LOG_MODE FROM V$DATABASE;\n"
            + "SELECT 'ACTIVE_BACKUP='||COUNT(*) FROM V$BACKUP WHERE STATUS='ACTIVE';\nEXIT SUCCESS\n";
    static final String BEGIN = HEADER + "ALTER SYSTEM ARCHIVE LOG CURRENT;\nALTER DATABASE BEGIN BACKUP;\nEXIT SUCCESS\n";
    static final String END = HEADER + "ALTER DATABASE END BACKUP;\nEXIT SUCCESS\n";
    /** Feeds the SQL on stdin, as an interactive sqlplus reads it; no file for the linux user to read. */
    private static final String PIPE = "printf '%s\\n' \"$1\" | \"$2\" -S -L /nolog";

    private final WorkloadConf conf;
    private final ClientRunner runner;
    private final Map<String, Holder> timers = new LinkedHashMap<>();
    private final Map<String, Long> beganAt = new LinkedHashMap<>();

    OracleQuiescer(WorkloadConf conf, ClientRunner runner) {
        this.conf = conf;
        this.runner = runner;
    }

    record Instance(String sid, Path home) {
        Path sqlplus() {
            return home.resolve("bin").resolve("sqlplus");
        }

        Map<String, String> env() {
            return Map.of("ORACLE_SID", sid, "ORACLE_HOME", home.toString(), "ORACLE_UNQNAME", sid,
                    "PATH", home.resolve("bin") + ":" + ClientRunner.PATH);
        }
    }

    /** The SIDs of the oratab in file order; comments, blank lines and {@code *} entries skipped. */
    static List<Instance> instances(Path oratab) throws IOException {
        List<Instance> found = new ArrayList<>();
        for (String raw : Files.readAllLines(oratab, StandardCharsets.UTF_8)) {
            Matcher m = ORATAB.matcher(raw.strip());
            if (!raw.strip().startsWith("#") && m.matches()) {
                found.add(new Instance(m.group(1), Path.of(m.group(2))));
            }
        }
        return found;
    }

    private List<String> sqlplus(Instance instance, String sql) {
        return List.of("/bin/sh", "-c", PIPE, "sh", sql, instance.sqlplus().toString());
    }

    @Override
    public List<Step> quiesce() {
        List<Step> steps = new ArrayList<>();
        Optional<List<Instance>> read = instances(ErrorCode.WORKLOAD_CONF_INVALID, e -> "oracle: configuration_path "
                + conf.configurationPath() + " cannot be read (" + e.getMessage() + ")", steps);
        if (read.isEmpty()) {
            return steps;
        }
        List<Instance> instances = read.get();
        if (instances.isEmpty()) {
            steps.add(Step.failed("read " + conf.configurationPath(), Duration.ZERO, List.of(),
                    ErrorCode.WORKLOAD_CONF_INVALID, "oracle: " + conf.configurationPath() + " names no SID (lines SID:ORACLE_HOME:Y)"));
            return steps;
        }
        for (Instance instance : instances) {
            quiesce(instance, steps);
        }
        return steps;
    }

    private void quiesce(Instance instance, List<Step> steps) {
        String sid = " (SID " + instance.sid() + ")";
        Optional<String> refused = runner.refusal(instance.sqlplus());
        if (refused.isPresent() && Files.exists(instance.sqlplus())) {
            steps.add(Step.failed("check " + instance.sqlplus(), Duration.ZERO, List.of(),
                    ErrorCode.WORKLOAD_CONF_INVALID, "oracle" + sid + ": " + refused.get()));
            return;
        }
        ClientRunner.Outcome check = runner.run(sqlplus(instance, CHECK), instance.env(), conf.timeout());
        if (!check.succeeded()) {
            steps.add(Step.failed("connect / as sysdba" + sid, check, ErrorCode.WORKLOAD_CONNECTION_FAILED,
                    "oracle" + sid + ": sqlplus as " + runner.user().name() + " failed (" + check.summary() + ")"));
            return;
        }
        Optional<String> status = value(check, "STATUS");
        if (status.isPresent() && !status.get().equals("OPEN")) {
            steps.add(Step.ok("check" + sid, check.duration(), List.of("database is " + status.get()
                    + ", not OPEN: nothing to quiesce")));
            return;
        }
        if (value(check, "LOG_MODE").filter("NOARCHIVELOG"::equals).isPresent()) {
            steps.add(Step.failed("check" + sid, check, ErrorCode.WORKLOAD_NO_ARCHIVE_LOG, "oracle" + sid
                    + ": the database runs in NOARCHIVELOG mode, BEGIN BACKUP is impossible"));
            return;
        }
        steps.add(Step.ok("check" + sid, check.duration(), check.lines()));
        if (activeBackup(check)) {
            steps.add(end(instance, "END BACKUP left by an earlier backup" + sid, ErrorCode.WORKLOAD_PRE_FAILED));
        }
        ClientRunner.Outcome begin = runner.run(sqlplus(instance, BEGIN), instance.env(), conf.timeout());
        if (!begin.succeeded()) {
            steps.add(Step.failed("BEGIN BACKUP" + sid, begin, ErrorCode.WORKLOAD_QUIESCE_FAILED, "oracle" + sid
                    + ": ALTER DATABASE BEGIN BACKUP failed (" + begin.summary() + ")"));
            return;
        }
        beganAt.put(instance.sid(), System.nanoTime());
        try {
            // A sleep ended by our kill (the release) must not go on to END BACKUP: only one that ran out does.
            List<String> timer = new ArrayList<>(List.of("/bin/sh", "-c", "sleep \"$1\" || exit 0; shift; exec \"$@\"",
                    "vmsnapshot-end-backup", Long.toString(conf.timeout().toSeconds())));
            timer.addAll(sqlplus(instance, END));
            timers.put(instance.sid(), runner.hold(timer, instance.env(), conf.timeout().multipliedBy(2).plusSeconds(60),
                    Duration.ofMillis(1), line -> false));
            steps.add(Step.ok("BEGIN BACKUP" + sid, begin.duration(), List.of("in backup mode; END BACKUP by itself after "
                    + conf.timeout().toSeconds() + " s")));
        } catch (IOException e) {
            steps.add(end(instance, "END BACKUP (no timer could start)" + sid, ErrorCode.WORKLOAD_QUIESCE_FAILED));
            steps.add(Step.failed("BEGIN BACKUP" + sid, begin, ErrorCode.WORKLOAD_QUIESCE_FAILED, "oracle" + sid
                    + ": the timer that ends backup mode could not start (" + e.getMessage() + "); backup mode ended"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public List<Step> release() {
        List<Step> steps = new ArrayList<>();
        instances(ErrorCode.WORKLOAD_POST_FAILED, e -> "oracle: " + conf.configurationPath() + " cannot be read ("
                + e.getMessage() + "); END BACKUP could not be issued", steps)
                .ifPresent(instances -> instances.forEach(instance -> release(instance, steps)));
        return steps;
    }

    /** The oratab's SIDs, or empty with a failed step (code, detail) added when it cannot be read. */
    private Optional<List<Instance>> instances(ErrorCode code, Function<IOException, String> detail, List<Step> steps) {
        try {
            return Optional.of(instances(conf.configurationPath()));
        } catch (IOException e) {
            steps.add(Step.failed("read " + conf.configurationPath(), Duration.ZERO, List.of(), code, detail.apply(e)));
            return Optional.empty();
        }
    }

    private void release(Instance instance, List<Step> steps) {
        String sid = " (SID " + instance.sid() + ")";
        Optional<String> refused = runner.refusal(instance.sqlplus());
        if (refused.isPresent()) {
            steps.add(Step.ok("not run" + sid, Duration.ZERO, List.of(refused.get())));
            return;
        }
        Holder timer = timers.remove(instance.sid());
        Long began = beganAt.remove(instance.sid());
        boolean fired = timer != null && !timer.alive();
        if (timer != null) {
            timer.end(ClientRunner.KILL_GRACE.multipliedBy(2));
        }
        ClientRunner.Outcome check = runner.run(sqlplus(instance, CHECK), instance.env(), conf.timeout());
        if (!check.succeeded()) {
            steps.add(Step.failed("connect / as sysdba" + sid, check, ErrorCode.WORKLOAD_POST_FAILED, "oracle" + sid
                    + ": sqlplus failed (" + check.summary() + "); backup mode may still be on"
                    + (timer != null ? " and its timer was stopped" : "")));
            return;
        }
        if (fired) {
            steps.add(Step.failed("END BACKUP" + sid, check, ErrorCode.WORKLOAD_QUIESCE_TIMEOUT, "oracle" + sid
                    + ": backup mode had already been ended by its timer (timeout " + conf.timeout().toSeconds()
                    + " s in workload.conf)"));
        }
        if (activeBackup(check)) {
            Step end = end(instance, "END BACKUP" + sid, ErrorCode.WORKLOAD_POST_FAILED);
            long held = began == null ? 0 : (System.nanoTime() - began) / 1_000_000;
            steps.add(began == null || end.error().isPresent() ? end : Step.ok(end.name() + " after " + held + " ms",
                    end.duration(), List.of("backup mode held " + held + " ms")));
        } else if (!fired && began != null) {
            steps.add(Step.failed("END BACKUP" + sid, check, ErrorCode.WORKLOAD_QUIESCE_TIMEOUT, "oracle" + sid
                    + ": no datafile was in backup mode any more at the release"));
        } else if (!fired) {
            steps.add(Step.ok("check" + sid, check.duration(), List.of("no datafile in backup mode")));
        }
    }

    private Step end(Instance instance, String name, ErrorCode onFailure) {
        ClientRunner.Outcome end = runner.run(sqlplus(instance, END), instance.env(), conf.timeout());
        return end.succeeded() ? Step.ok(name, end.duration(), end.lines())
                : Step.failed(name, end, onFailure, "oracle (SID " + instance.sid() + "): ALTER DATABASE END BACKUP failed ("
                        + end.summary() + ")");
    }

    private static boolean activeBackup(ClientRunner.Outcome check) {
        return value(check, "ACTIVE_BACKUP").filter(v -> v.matches("\\d+") && Integer.parseInt(v) > 0).isPresent();
    }

    private static Optional<String> value(ClientRunner.Outcome outcome, String key) {
        return outcome.lines().stream().map(String::strip).filter(l -> l.startsWith(key + "="))
                .map(l -> l.substring(key.length() + 1)).reduce((first, second) -> second);
    }
}

package io.vmsnapshot.e2e.backup;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the time of one backup went, from the agent launching enable to the final status: what the
 * benchmark reads from the extension log (each line's time, the process-start line of each JVM, the
 * durations enable and the worker put into their lines), from the status blob's telemetry and from
 * its own clock. Every step is in milliseconds, in the order the customer waits for them.
 */
record StartBreakdown(Map<String, Long> steps) {
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX");
    private static final Pattern LINE = Pattern.compile("^pid=(\\d+) verb=(\\S+) (\\S+) \\S+ \\S+ - (\\S+)(.*)$");

    /**
     * @param launchedAt  when the agent simulator started enable (epoch ms)
     * @param enableExit  when it saw enable exit
     * @param finalSeenAt when it first read the final status
     * @param telemetry   the status blob's telemetry (phase milliseconds)
     */
    static StartBreakdown of(List<String> log, int seq, long launchedAt, long enableExit, long finalSeenAt,
                             Map<String, String> telemetry) {
        Line accepted = find(log, null, "enable-accepted", " seq=" + seq + " ");
        Line backupStart = find(log, null, "backup-start", " seq=" + seq + " ");
        String enable = accepted.pid();
        String worker = backupStart.pid();
        long enableMain = find(log, enable, "process-start", "").number("mainAt");
        long workerMain = find(log, worker, "process-start", "").number("mainAt");
        Line workerCommand = find(log, worker, "command-start", "");
        Line verified = find(log, worker, "pluginhost-verified", "");
        Line precheck = find(log, worker, "prepost-precheck", "");
        Line verdict = find(log, worker, "backup-verdict", "");
        Line end = find(log, worker, "backup-end", "");
        long workerLaunchedAt = accepted.at() - accepted.number("launchMs");

        Map<String, Long> steps = new LinkedHashMap<>();
        steps.put("agent -> enable's main (sh, launcher, JVM start)", enableMain - launchedAt);
        steps.put("enable: main -> command (log, wiring, thaw check)",
                find(log, enable, "command-start", "").at() - enableMain);
        steps.put("enable: settings read (protected left encrypted)", accepted.number("settingsMs"));
        steps.put("enable: transitioning status written", accepted.number("statusMs"));
        steps.put("enable: worker launched (sh, setsid)", accepted.number("launchMs"));
        steps.put("enable: until the agent sees it exit", enableExit - accepted.at());
        steps.put("worker: launch -> main (sh, setsid, launcher, JVM start)", workerMain - workerLaunchedAt);
        steps.put("worker: main -> command (log, wiring, thaw check)", workerCommand.at() - workerMain);
        steps.put("worker: lock", backupStart.number("lockMs"));
        steps.put("worker: settings read and decrypted", backupStart.number("settingsMs"));
        steps.put("worker: rest until backup-start (recovery check)",
                backupStart.at() - workerCommand.at() - backupStart.number("lockMs") - backupStart.number("settingsMs"));
        steps.put("worker: backup-start -> precheck done", precheck.at() - backupStart.at());
        steps.put("  of which plugin host load and verification", verified.number("durationMs"));
        for (String phase : List.of("pre", "prepare", "freeze", "snapshot", "thaw", "post")) {
            steps.put("phase " + phase, Long.parseLong(telemetry.getOrDefault(phase + "Millis", "0")));
        }
        steps.put("verdict -> backup-end (status blob, logs blob, status file)", end.at() - verdict.at());
        steps.put("backup-end -> final status seen (polling)", finalSeenAt - end.at());
        steps.put("total: enable launched -> final status seen", finalSeenAt - launchedAt);
        return new StartBreakdown(steps);
    }

    /** One extension log line: its process, time (epoch ms) and fields. */
    private record Line(String pid, long at, String text) {
        long number(String key) {
            Matcher m = Pattern.compile(" " + key + "=(-?\\d+)").matcher(text);
            if (!m.find()) {
                throw new IllegalStateException("no " + key + "= in: " + text);
            }
            return Long.parseLong(m.group(1));
        }
    }

    /** The first line of process {@code pid} (any if null) with event {@code event} whose text holds {@code part}. */
    private static Line find(List<String> log, String pid, String event, String part) {
        return parse(log, pid, event, part).orElseThrow(() -> new IllegalStateException(
                "no '" + event + "'" + (part.isEmpty() ? "" : " with '" + part.strip() + "'")
                        + (pid == null ? "" : " of pid " + pid) + " in the extension log"));
    }

    private static Optional<Line> parse(List<String> log, String pid, String event, String part) {
        for (String text : log) {
            Matcher m = LINE.matcher(text);
            if (m.matches() && m.group(4).equals(event) && (pid == null || m.group(1).equals(pid))
                    && (m.group(5) + " ").contains(part)) {
                long at = OffsetDateTime.parse(m.group(3), LOG_TIME).toInstant().toEpochMilli();
                return Optional.of(new Line(m.group(1), at, m.group(5)));
            }
        }
        return Optional.empty();
    }
}

package io.vmsnapshot.journal;

import io.vmsnapshot.process.ProcessTrace;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the backup journal ({@code state/journal.json}) holds about the one backup in flight: which
 * request, which worker, and the phase events in order, each written before its phase starts
 * (never while file systems are frozen).
 *
 * @param events e.g. {@code pre-started}, {@code pre-finished}, {@code snapshot-started},
 *               {@code snapshot-finished}, {@code post-started}, {@code post-finished},
 *               {@code finished}; recovery adds {@code post-recovered}
 * @param scripts every script started for this backup (also by its recovery), recorded before its
 *                start and again once started, so that a later start can kill what a dead worker's
 *                scripts left running; absent from journals written before it existed
 */
public record JournalRecord(int sequenceNumber, String taskId, String locale, long workerPid, String startedAt,
        List<String> events, List<ProcessTrace> scripts) {
    public static final String PRE_STARTED = "pre-started";
    public static final String PRE_FINISHED = "pre-finished";
    public static final String SNAPSHOT_STARTED = "snapshot-started";
    public static final String SNAPSHOT_FINISHED = "snapshot-finished";
    public static final String POST_STARTED = "post-started";
    public static final String POST_FINISHED = "post-finished";
    public static final String POST_RECOVERED = "post-recovered";
    /** Prefix of the event a start's freeze recovery adds: the mounts it thawed, comma-separated. */
    public static final String THAWED_PREFIX = "thawed-by-recovery ";
    /** The backup returned its outcome; only the status write may be missing. */
    public static final String FINISHED = "finished";

    public JournalRecord {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(startedAt, "startedAt");
        events = List.copyOf(events);
        scripts = scripts == null ? List.of() : List.copyOf(scripts);
    }

    JournalRecord with(String event) {
        List<String> more = new ArrayList<>(events);
        more.add(event);
        return new JournalRecord(sequenceNumber, taskId, locale, workerPid, startedAt, more, scripts);
    }

    /** Adds a script's trace, or replaces the one with the same marker (its start is now confirmed). */
    JournalRecord withScript(ProcessTrace trace) {
        List<ProcessTrace> more = new ArrayList<>(scripts);
        more.removeIf(known -> known.marker().equals(trace.marker()));
        more.add(trace);
        return new JournalRecord(sequenceNumber, taskId, locale, workerPid, startedAt, events, more);
    }

    public boolean has(String event) {
        return events.contains(event);
    }

    /** A pre-script may have quiesced the application and no post-script has run since. */
    public boolean postOwed() {
        return has(PRE_STARTED) && !has(POST_FINISHED) && !has(POST_RECOVERED);
    }

    /** Where the worker was when it stopped writing: the last phase event, or "start". */
    public String lastPhase() {
        return events.stream().filter(e -> !e.startsWith(THAWED_PREFIX) && !e.equals(POST_RECOVERED))
                .reduce((first, second) -> second).orElse("start");
    }

    /** What freeze recovery at some start since then thawed. */
    public List<String> thawedByRecovery() {
        return events.stream().filter(e -> e.startsWith(THAWED_PREFIX))
                .flatMap(e -> List.of(e.substring(THAWED_PREFIX.length()).split(",")).stream()).toList();
    }
}

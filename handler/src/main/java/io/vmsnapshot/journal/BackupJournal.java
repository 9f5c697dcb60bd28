package io.vmsnapshot.journal;

import io.vmsnapshot.json.MalformedJsonException;
import io.vmsnapshot.process.ProcessTrace;
import io.vmsnapshot.agent.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup journal, {@code state/journal.json}: one small file replaced atomically before each
 * phase starts, so that when a worker dies (SIGKILL, OOM, reboot) the next start knows which
 * phase it reached, whether a post-script is owed and which scripts may still be running. Nothing
 * is written while file systems are frozen: the freeze record under /run covers the thaw, and
 * scripts start only in the pre and post phases, outside the freeze window. A journal write that fails never fails
 * the backup; recovery then knows less, and says so.
 */
public final class BackupJournal {
    public static final String FILE_NAME = "journal.json";
    private static final Logger LOG = LoggerFactory.getLogger(BackupJournal.class);

    private final Path file;
    private final Clock clock;
    private JournalRecord current;

    /** @param stateDir the handler's state dir (kept by update, removed by uninstall) */
    public BackupJournal(Path stateDir, Clock clock) {
        this.file = Objects.requireNonNull(stateDir, "stateDir").resolve(FILE_NAME);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Path file() {
        return file;
    }

    /** Starts the journal of a new backup, replacing whatever an earlier one left. */
    public synchronized void begin(int sequenceNumber, String taskId, String locale, long workerPid) {
        write(new JournalRecord(sequenceNumber, taskId, locale == null ? "" : locale, workerPid,
                clock.instant().toString(), List.of(), List.of()));
    }

    /** Appends a phase event to the current backup's journal (no-op without {@link #begin}). */
    public synchronized void record(String event) {
        if (current != null) {
            write(current.with(event));
        }
    }

    /** The journal as the last process left it; empty if there is none or it is unreadable. */
    public Optional<JournalRecord> read() {
        try {
            return Optional.of(JournalRecordJson.read(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | MalformedJsonException | RuntimeException e) {
            LOG.warn("journal-unreadable file={} error={}", file, e.toString());
            return Optional.empty();
        }
    }

    /**
     * Records a script about to start (only its marker) or just started: written before the next
     * step, so that a worker killed at any moment leaves the trace of every script it started.
     * No-op without a journal in progress ({@link #begin} or {@link #resume}).
     */
    public synchronized void recordScript(ProcessTrace trace) {
        if (current != null) {
            write(current.withScript(trace));
        }
    }

    /** Continues the journal found on disk: recovery's own progress and scripts go on it. */
    public synchronized void resume(JournalRecord found) {
        current = Objects.requireNonNull(found, "found");
    }

    /**
     * Notes on an interrupted backup's journal what this start's freeze recovery thawed: the start
     * that thaws (any verb) is often not the one that reports.
     */
    public synchronized void noteThawed(List<Path> mounts) {
        if (!mounts.isEmpty()) {
            read().ifPresent(found -> write(found.with(JournalRecord.THAWED_PREFIX
                    + String.join(",", mounts.stream().map(Path::toString).toList()))));
            current = null;
        }
    }

    /** The backup is reported: a later start has nothing to recover. */
    public synchronized void forget() throws IOException {
        current = null;
        Files.deleteIfExists(file);
    }

    private void write(JournalRecord record) {
        current = record;
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, JournalRecordJson.write(record));
        } catch (IOException e) {
            LOG.warn("journal-write-failed file={} event={} error={}", file, record.lastPhase(), e.toString());
        }
    }
}

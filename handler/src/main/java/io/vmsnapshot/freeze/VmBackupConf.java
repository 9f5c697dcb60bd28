package io.vmsnapshot.freeze;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <configDir>/vmbackup.conf}, section {@code [SnapshotThread]}: the customer's tuning of the
 * backup — {@code MountsToSkip} (a comma-separated list of mount points excluded from the freeze),
 * {@code timeout} (the freeze's auto-thaw, seconds), {@code SafeFreezeWaitInSeconds} (how long the
 * freeze itself may take, upstream's default 66), {@code SnapshotMethod}, {@code UploadStatusAndLog}
 * ({@code False}: no status or logs blob, as upstream); the other keys upstream knew are ignored,
 * and {@code VmBackupKeys} says why, for {@code check}. Read the way Python's
 * ConfigParser reads it, as upstream does: {@code key = value} or {@code key: value}, keys
 * case-insensitive, {@code #}/{@code ;} comments.
 *
 * <p>A file that cannot be read, or is not UTF-8, counts as absent (every key at its default) with a
 * warning: it only tunes the backup, so it must never stop every backup of the VM (it used to be
 * error 121 on each one). For the same reason a {@code timeout} above what the freeze helper accepts
 * ({@link #MAX_FREEZE_TIMEOUT}, one day) is lowered to it with a warning: the helper refuses more, and
 * that was error 121 on every backup.
 */
public final class VmBackupConf {
    static final String FILE_NAME = "vmbackup.conf";
    private static final String SECTION = "SnapshotThread";
    private static final String KEY = "mountstoskip";
    /** The longest auto-thaw the freeze helper takes (MAX_TIMEOUT_SECONDS in vmsnapshot-freeze.c). */
    public static final Duration MAX_FREEZE_TIMEOUT = Duration.ofSeconds(86_400);
    /** Below this an auto-thaw cannot cover a snapshot. */
    private static final Duration MIN_FREEZE_TIMEOUT = Duration.ofSeconds(5);
    static final String UPLOAD_KEY = "uploadstatusandlog";

    private static final Logger LOG = LoggerFactory.getLogger(VmBackupConf.class);

    private final Path configDir;
    private final Consumer<String> warnings;

    /** @param configDir {@code VMSNAPSHOT_CONFIG_DIR}, normally {@code /etc/azure} */
    public VmBackupConf(Path configDir) {
        this(configDir, warning -> LOG.warn("vmbackup-conf-ignored detail={}", warning));
    }

    /** @param warnings told why the file, or a value in it, was ignored or changed, each time it is */
    public VmBackupConf(Path configDir, Consumer<String> warnings) {
        this.configDir = Objects.requireNonNull(configDir, "configDir");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /**
     * The section as one backup uses it, from one read of the file: every value of a backup comes
     * from the same version of it, however the customer edits it meanwhile. Why the file was
     * ignored goes to the warnings consumer and into the result, for the backup's status.
     */
    public VmBackupSettings parse() {
        List<String> problems = new ArrayList<>();
        Map<String, String> section = section(problems);
        Optional<Duration> timeout = freezeTimeout(Optional.ofNullable(section.get("timeout")), problems);
        problems.forEach(warnings);
        return new VmBackupSettings(mountsToSkip(Optional.ofNullable(section.get(KEY))),
                Optional.ofNullable(section.get("snapshotmethod")), timeout,
                safeFreezeWait(Optional.ofNullable(section.get("safefreezewaitinseconds"))),
                uploads(section.get(UPLOAD_KEY)), problems, VmBackupKeys.notes(section));
    }

    /** The mount points to skip; empty when the file or the key is absent. */
    public Set<Path> read() {
        return parse().mountsToSkip();
    }

    /**
     * Upstream uploaded the status and logs blobs unless the value was something other than
     * {@code True}; a customer who wrote {@code true} meant it too, so only a clear "no" turns them off.
     */
    static boolean uploads(String value) {
        return value == null || !value.strip().toLowerCase(Locale.ROOT).matches("false|no|off|0");
    }

    private Set<Path> mountsToSkip(Optional<String> value) {
        Set<Path> skip = new LinkedHashSet<>();
        if (value.isPresent()) {
            for (String entry : value.get().split(",")) {
                String trimmed = entry.strip();
                if (trimmed.startsWith("/")) {
                    skip.add(configDir.getFileSystem().getPath(trimmed).normalize());
                }
            }
        }
        return Set.copyOf(skip);
    }

    /**
     * Whole seconds, at least 5 and at most {@link #MAX_FREEZE_TIMEOUT} (beyond it with a warning);
     * anything else is ignored.
     */
    private Optional<Duration> freezeTimeout(Optional<String> value, List<String> problems) {
        Optional<Duration> seconds = wholeSeconds(value);
        if (seconds.isPresent() && seconds.get().compareTo(MAX_FREEZE_TIMEOUT) > 0) {
            problems.add("timeout = " + value.get() + " in " + configDir.resolve(FILE_NAME) + " is more than the"
                    + " freeze helper accepts; the backup uses " + MAX_FREEZE_TIMEOUT.toSeconds() + " s (one day)");
            return Optional.of(MAX_FREEZE_TIMEOUT);
        }
        return seconds.map(s -> s.compareTo(MIN_FREEZE_TIMEOUT) < 0 ? MIN_FREEZE_TIMEOUT : s);
    }

    /** Whole seconds, at least 1; anything else is ignored (upstream falls back to its default then). */
    private static Optional<Duration> safeFreezeWait(Optional<String> value) {
        return wholeSeconds(value).filter(s -> !s.isZero());
    }

    /** A plain decimal number of seconds; so large a number that it does not fit counts as the largest. */
    private static Optional<Duration> wholeSeconds(Optional<String> value) {
        return value.filter(v -> v.matches("\\d{1,40}"))
                .map(v -> Duration.ofSeconds(v.length() > 18 ? Long.MAX_VALUE / 1_000_000_000L : Long.parseLong(v)));
    }

    /** The keys of {@code [SnapshotThread]}, lower-cased, each with its last value (as in ConfigParser). */
    private Map<String, String> section(List<String> problems) {
        Path file = configDir.resolve(FILE_NAME);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (CharacterCodingException e) {
            problems.add(file + " is not UTF-8 text; every setting in it is ignored (each at its default):"
                    + " save it as UTF-8");
            return Map.of();
        } catch (IOException e) {
            problems.add("cannot read " + file + " (" + e + "); every setting in it is ignored (each at its default)");
            return Map.of();
        }
        Map<String, String> values = new HashMap<>();
        String section = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
                continue;
            }
            int split = separatorIndex(line);
            if (SECTION.equals(section) && split > 0) {
                values.put(line.substring(0, split).strip().toLowerCase(Locale.ROOT), line.substring(split + 1).strip());
            }
        }
        return values;
    }

    private static int separatorIndex(String line) {
        int equals = line.indexOf('=');
        int colon = line.indexOf(':');
        if (equals < 0) {
            return colon;
        }
        return colon < 0 ? equals : Math.min(equals, colon);
    }
}

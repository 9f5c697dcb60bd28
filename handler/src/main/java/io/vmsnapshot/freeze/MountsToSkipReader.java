package io.vmsnapshot.freeze;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * {@code MountsToSkip} from {@code <configDir>/vmbackup.conf}, section {@code [SnapshotThread]}: a
 * comma-separated list of mount points that customers exclude from the freeze (documented by Azure
 * Backup's troubleshooting pages). Read the way Python's ConfigParser reads it, as upstream does:
 * {@code key = value} or {@code key: value}, keys case-insensitive, {@code #}/{@code ;} comments.
 */
public final class MountsToSkipReader {
    static final String FILE_NAME = "vmbackup.conf";
    private static final String SECTION = "SnapshotThread";
    private static final String KEY = "mountstoskip";

    private final Path configDir;

    /** @param configDir {@code VMSNAPSHOT_CONFIG_DIR}, normally {@code /etc/azure} */
    public MountsToSkipReader(Path configDir) {
        this.configDir = Objects.requireNonNull(configDir, "configDir");
    }

    /** The mount points to skip; empty when the file or the key is absent. */
    public Set<Path> read() throws HandlerException {
        Path file = configDir.resolve(FILE_NAME);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Set.of();
        } catch (IOException e) {
            throw new HandlerException(ErrorCode.FS_FREEZE_FAILED, "cannot read " + file
                    + " for MountsToSkip: " + e.getMessage() + "; fix or remove the file", e);
        }
        String section = null;
        String value = null;
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
            if (SECTION.equals(section) && split > 0
                    && line.substring(0, split).strip().toLowerCase(Locale.ROOT).equals(KEY)) {
                value = line.substring(split + 1).strip();
            }
        }
        Set<Path> skip = new LinkedHashSet<>();
        if (value != null) {
            for (String entry : value.split(",")) {
                String trimmed = entry.strip();
                if (trimmed.startsWith("/")) {
                    skip.add(configDir.getFileSystem().getPath(trimmed).normalize());
                }
            }
        }
        return Set.copyOf(skip);
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

package io.vmsnapshot.seqno;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which settings this run is about (docs/agent-contract.md §6, §9, §13): the agent's
 * {@code ConfigSequenceNumber}, else what the agent itself falls back to, the most recently
 * modified {@code <N>.settings} in the config folder. The newest file is not necessarily the
 * highest number, so mtime decides and the number only breaks ties.
 */
public final class SequenceNumberResolver {
    public static final String ENV_VAR = "ConfigSequenceNumber";
    /** Renamed copies ({@code N_settings}) and anything else do not match, as for the agent. */
    private static final Pattern SETTINGS_FILE = Pattern.compile("(\\d{1,9})\\.settings");

    private final Map<String, String> env;

    public SequenceNumberResolver(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    public int resolve(Path configFolder) throws HandlerException {
        String fromEnv = env.get(ENV_VAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return parseEnv(fromEnv.strip());
        }
        return newestSettingsFile(configFolder);
    }

    private static int parseEnv(String value) throws HandlerException {
        try {
            int seq = Integer.parseInt(value);
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // reported below, with the value, which is not a secret
        }
        throw new HandlerException(ErrorCode.SETTINGS_INVALID, "environment variable " + ENV_VAR
                + " must be a non-negative integer but is '" + value + "'");
    }

    /** No settings file at all is a handler without settings: the agent would have used seq 0. */
    private static int newestSettingsFile(Path configFolder) throws HandlerException {
        int newestSeq = 0;
        FileTime newestTime = null;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(configFolder)) {
            for (Path file : files) {
                Matcher name = SETTINGS_FILE.matcher(file.getFileName().toString());
                if (!name.matches() || !Files.isRegularFile(file)) {
                    continue;
                }
                int seq = Integer.parseInt(name.group(1));
                FileTime time = Files.getLastModifiedTime(file);
                int order = newestTime == null ? 1 : time.compareTo(newestTime);
                if (order > 0 || (order == 0 && seq > newestSeq)) {
                    newestSeq = seq;
                    newestTime = time;
                }
            }
        } catch (IOException e) {
            throw new HandlerException(ErrorCode.HANDLER_ENVIRONMENT_INVALID,
                    "config folder " + configFolder + " cannot be listed to find the newest settings file: " + e, e);
        }
        return newestSeq;
    }
}

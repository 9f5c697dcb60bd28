package io.vmsnapshot.workload;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.prepost.Finding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code workload.conf} from the config dir by the rules of the other configs: a regular file
 * (not a symlink) owned by the handler's uid that nobody else may write, read through a no-follow
 * descriptor and checked again after reading. Every problem becomes a finding naming the file and
 * the field, never an exception.
 */
public final class WorkloadConfReader {
    public static final String FILE_NAME = "workload.conf";
    static final String SECTION = "workload";
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);
    private static final int MAX_BYTES = 1 << 16;
    private static final List<String> KNOWN_KEYS = List.of("workload_name", "command_path", "configuration_path",
            "linux_user", "credstring", "ipc_folder", "timeout");

    private final Path configDir;
    private final int handlerUid;
    private final Path passwd;

    public WorkloadConfReader(Path configDir, int handlerUid, Path passwd) {
        this.configDir = configDir;
        this.handlerUid = handlerUid;
        this.passwd = passwd;
    }

    public Path file() {
        return configDir.resolve(FILE_NAME);
    }

    public WorkloadSetup read() {
        Path file = file();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return WorkloadSetup.absent(List.of());
        }
        String text;
        try {
            text = safeText(file);
        } catch (Unusable e) {
            return WorkloadSetup.invalid("?", new Finding(ErrorCode.WORKLOAD_CONF_INVALID, e.getMessage()), List.of());
        }
        IniSection section = IniSection.read(text, SECTION);
        Optional<String> name = section.get("workload_name");
        if (!section.present() || name.isEmpty()) {
            return WorkloadSetup.absent(List.of());
        }
        List<String> warnings = new ArrayList<>();
        section.keys().stream().filter(k -> !KNOWN_KEYS.contains(k)).forEach(k -> warnings.add(file + ": key '" + k
                + "' is upstream's and is ignored here (only the server-level quiesce is done)"));
        section.get("ipc_folder").ifPresent(folder -> warnings.add(file + ": ipc_folder=" + folder
                + " is not needed: the quiesce is confirmed through the client's own output"));
        Optional<Database> database = Database.named(name.get());
        if (database.isEmpty()) {
            return WorkloadSetup.invalid(name.get(), new Finding(ErrorCode.WORKLOAD_NAME_INVALID, file
                    + ": workload_name=" + name.get() + " is not one of mysql, mariadb, postgres, oracle"), warnings);
        }
        try {
            return WorkloadSetup.configured(conf(file, section, database.get(), warnings), warnings);
        } catch (Unusable e) {
            return WorkloadSetup.invalid(database.get().configName(), new Finding(e.code, e.getMessage()), warnings);
        }
    }

    private WorkloadConf conf(Path file, IniSection section, Database database, List<String> warnings)
            throws Unusable {
        Duration timeout = WorkloadConf.DEFAULT_TIMEOUT;
        Optional<String> rawTimeout = section.get("timeout");
        if (rawTimeout.isPresent()) {
            timeout = timeout(file, rawTimeout.get());
        }
        Optional<Path> commandPath = Optional.empty();
        if (section.get("command_path").isPresent()) {
            Path dir = absolute(file, "command_path", section.get("command_path").get());
            Path client = dir.resolve(database.client());
            if (database != Database.ORACLE && !Files.isExecutable(client)) {
                throw new Unusable(ErrorCode.WORKLOAD_CONF_INVALID, file + ": command_path=" + dir + " holds no "
                        + database.client() + " program (" + client + " is missing or not executable)");
            }
            commandPath = Optional.of(dir);
        }
        Path oratab = section.get("configuration_path").isPresent()
                ? absolute(file, "configuration_path", section.get("configuration_path").get())
                : WorkloadConf.DEFAULT_ORATAB;
        String userName = section.get("linux_user").orElse(database.defaultUser());
        LinuxUser user;
        try {
            user = LinuxUser.find(passwd, userName).orElseThrow(() -> new Unusable(
                    ErrorCode.WORKLOAD_AUTHORIZATION_MISSING, file + ": linux_user=" + userName
                            + " is no user of this VM (" + passwd + ")"
                            + (section.get("linux_user").isEmpty() ? "; linux_user is empty, so the "
                            + database.configName() + " default was used" : "")));
        } catch (IOException e) {
            throw new Unusable(ErrorCode.WORKLOAD_AUTHORIZATION_MISSING, "cannot read " + passwd + " to find linux_user "
                    + userName + ": " + e.getMessage());
        }
        List<String> credentials = section.get("credstring").map(s -> Arrays.asList(s.trim().split("\\s+")))
                .orElse(List.of());
        if (!credentials.isEmpty() && permissionsOf(file).contains(PosixFilePermission.OTHERS_READ)) {
            warnings.add(file + ": holds credString and every user can read it (chmod 600 " + file + ")");
        }
        return new WorkloadConf(database, commandPath, oratab, user, credentials, timeout);
    }

    private static Duration timeout(Path file, String value) throws Unusable {
        String whole = value.endsWith(".0") ? value.substring(0, value.length() - 2) : value;
        long seconds;
        try {
            seconds = Long.parseLong(whole);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < 1 || seconds > MAX_TIMEOUT.toSeconds()) {
            throw new Unusable(ErrorCode.WORKLOAD_CONF_INVALID, file + ": timeout=" + value
                    + " is not a whole number of seconds from 1 to " + MAX_TIMEOUT.toSeconds());
        }
        return Duration.ofSeconds(seconds);
    }

    private static Path absolute(Path file, String key, String value) throws Unusable {
        Path path = Path.of(value);
        if (!path.isAbsolute()) {
            throw new Unusable(ErrorCode.WORKLOAD_CONF_INVALID, file + ": " + key + "=" + value
                    + " must be an absolute path");
        }
        return path;
    }

    private String safeText(Path file) throws Unusable {
        Object before = check(file);
        byte[] bytes;
        try (SeekableByteChannel channel = Files.newByteChannel(file,
                Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
                InputStream in = Channels.newInputStream(channel)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new Unusable(ErrorCode.WORKLOAD_CONF_INVALID, file + ": cannot be read (" + e.getMessage() + ")");
        }
        if (bytes.length > MAX_BYTES) {
            throw new Unusable(ErrorCode.WORKLOAD_CONF_INVALID, file + ": larger than " + MAX_BYTES + " bytes");
        }
        if (!before.equals(check(file))) {
            throw new Unusable(ErrorCode.WORKLOAD_CONF_INVALID, file + ": was replaced while being read");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Unusable(ErrorCode.WORKLOAD_CONF_INVALID, file + ": is not UTF-8 text");
        }
    }

    private Object check(Path file) throws Unusable {
        try {
            if (Files.isSymbolicLink(file)) {
                throw new Unusable(ErrorCode.WORKLOAD_CONF_INVALID, file
                        + ": is a symbolic link; put the file itself there");
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new Unusable(ErrorCode.WORKLOAD_CONF_INVALID, file + ": is not a regular file");
            }
            int uid = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (uid != handlerUid) {
                throw new Unusable(ErrorCode.WORKLOAD_CONF_INVALID, file + ": is owned by uid " + uid
                        + ", must be owned by uid " + handlerUid + " (chown " + handlerUid + " " + file + ")");
            }
            Set<PosixFilePermission> mode = permissionsOf(file);
            if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new Unusable(ErrorCode.WORKLOAD_CONF_INVALID, file + ": has mode "
                        + PosixFilePermissions.toString(mode) + "; nobody but its owner may write it (chmod go-w "
                        + file + ")");
            }
            return Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new Unusable(ErrorCode.WORKLOAD_CONF_INVALID, file + ": disappeared while being read");
        } catch (IOException | UnsupportedOperationException e) {
            throw new Unusable(ErrorCode.WORKLOAD_CONF_INVALID, file + ": cannot be examined (" + e.getMessage() + ")");
        }
    }

    private static Set<PosixFilePermission> permissionsOf(Path file) {
        try {
            return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** A reason the file cannot be used, with the error it is reported as. */
    private static final class Unusable extends Exception {
        private final transient ErrorCode code;

        Unusable(ErrorCode code, String message) {
            super(message);
            this.code = code;
        }
    }
}

package io.vmsnapshot.workload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A usable {@code [workload]} section.
 *
 * @param commandPath       directory of the client program; empty = the fixed PATH (Oracle: each SID's home)
 * @param configurationPath Oracle's oratab (default {@code /etc/oratab}); unused for the others
 * @param linuxUser         the OS user the client runs as, with its home directory
 * @param credentials       {@code credString} split at blanks: extra client arguments (a defaults file, a user)
 * @param timeout           how long the database may stay quiesced: every step's limit, and the moment the
 *                          database-side quiesce ends by itself when the release never comes
 */
public record WorkloadConf(Database database, Optional<Path> commandPath, Path configurationPath, LinuxUser linuxUser,
        List<String> credentials, Duration timeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);
    public static final Path DEFAULT_ORATAB = Path.of("/etc/oratab");

    public WorkloadConf {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(commandPath, "commandPath");
        Objects.requireNonNull(configurationPath, "configurationPath");
        Objects.requireNonNull(linuxUser, "linuxUser");
        credentials = List.copyOf(credentials);
        Objects.requireNonNull(timeout, "timeout");
    }
}

package io.vmsnapshot.e2e.database;

import io.vmsnapshot.e2e.fixtures.Command;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The real database servers from Debian's packages, installed on first use: only a run that
 * reaches a database test pays for the download. A file lock serialises concurrent test JVMs, and
 * apt waits for the dpkg lock instead of failing when another install holds it. The system
 * services the packages come with are never started ({@code policy-rc.d} refuses them for the
 * install when the machine has no such policy); tests start their own instances.
 */
public final class DatabasePackages {
    private static final Path LOCK = Path.of(System.getProperty("java.io.tmpdir"), "vmsnapshot-e2e-db-install.lock");
    private static final Path POLICY_RC = Path.of("/usr/sbin/policy-rc.d");
    private static final Path PG_LIB = Path.of("/usr/lib/postgresql");
    private static final List<String> MARIADB_PROGRAMS =
            List.of("mariadbd", "mariadb-install-db", "mariadb", "mariadb-admin", "mariadb-check");
    private static final List<String> POSTGRES_PROGRAMS =
            List.of("initdb", "pg_ctl", "postgres", "psql", "pgbench", "pg_amcheck");

    private DatabasePackages() {
    }

    /** The newest PostgreSQL's bin directory ({@code /usr/lib/postgresql/<major>/bin}), installing it if missing. */
    public static Path postgresBin() {
        return findPostgresBin().orElseGet(() -> {
            install("postgresql");
            return findPostgresBin().orElseThrow(() -> new IllegalStateException(
                    "apt-get installed postgresql but " + PG_LIB + "/<major>/bin has not all of " + POSTGRES_PROGRAMS));
        });
    }

    /** Makes sure mariadbd and its tools are on the standard PATH, installing mariadb-server if missing. */
    public static void mariadb() {
        if (!mariadbPresent()) {
            install("mariadb-server");
            if (!mariadbPresent()) {
                throw new IllegalStateException("apt-get installed mariadb-server but not all of " + MARIADB_PROGRAMS
                        + " are on the PATH");
            }
        }
    }

    /** The absolute path of a program in the standard directories (the handler's PATH). */
    public static Path program(String name) {
        return onPath(name).orElseThrow(() -> new IllegalStateException(name + " is not installed"));
    }

    private static Optional<Path> onPath(String name) {
        Command.Result found = Command.run(List.of("sh", "-c",
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin command -v " + name), 10);
        return found.exitCode() == 0 && !found.output().isBlank() ? Optional.of(Path.of(found.output().strip())) : Optional.empty();
    }

    private static boolean mariadbPresent() {
        return MARIADB_PROGRAMS.stream().allMatch(p -> onPath(p).isPresent());
    }

    private static Optional<Path> findPostgresBin() {
        if (!Files.isDirectory(PG_LIB)) {
            return Optional.empty();
        }
        try (Stream<Path> majors = Files.list(PG_LIB)) {
            return majors.map(major -> major.resolve("bin"))
                    .filter(bin -> POSTGRES_PROGRAMS.stream().allMatch(p -> Files.isExecutable(bin.resolve(p))))
                    .max(Comparator.comparing(bin -> majorVersion(bin.getParent())));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + PG_LIB + ": " + e.getMessage(), e);
        }
    }

    private static int majorVersion(Path dir) {
        String name = dir.getFileName().toString();
        return name.matches("\\d+") ? Integer.parseInt(name) : -1;
    }

    private static void install(String pkg) {
        try (FileChannel channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            boolean ownPolicy = !Files.exists(POLICY_RC);
            if (ownPolicy) {
                Files.writeString(POLICY_RC, "#!/bin/sh\n# vmsnapshot e2e tests: no service starts during their install\nexit 101\n");
                Command.check(10, "chmod", "755", POLICY_RC.toString());
            }
            try {
                apt(List.of("update", "-qq"));
                apt(List.of("install", "-y", "-qq", "--no-install-recommends", pkg));
            } finally {
                if (ownPolicy) {
                    Files.deleteIfExists(POLICY_RC);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot install " + pkg + ": " + e.getMessage(), e);
        }
    }

    private static void apt(List<String> args) {
        List<String> argv = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get",
                "-o", "DPkg::Lock::Timeout=600"));
        argv.addAll(args);
        Command.run(argv, 900).requireSuccess(argv);
    }
}

package io.vmsnapshot.workload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** An OS account from the passwd file: the database client runs as it, with its home as HOME. */
public record LinuxUser(String name, int uid, Path home) {
    public LinuxUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(home, "home");
    }

    /** Looks the name up in a passwd-format file; local accounts only, as upstream's {@code su -}. */
    public static Optional<LinuxUser> find(Path passwd, String name) throws IOException {
        for (String line : Files.readAllLines(passwd, StandardCharsets.UTF_8)) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 7 && fields[0].equals(name) && fields[2].matches("[0-9]{1,10}")) {
                String home = fields[5].isEmpty() ? "/" : fields[5];
                return Optional.of(new LinuxUser(name, Integer.parseInt(fields[2]), Path.of(home)));
            }
        }
        return Optional.empty();
    }
}

package io.vmsnapshot;

import java.util.Locale;
import java.util.Objects;

/**
 * The machine architecture as {@code uname -m} names it ({@code x86_64}, {@code aarch64}): the
 * name of the package's per-architecture directories ({@code runtime/<name>/}, {@code bin/<name>/}).
 * The launcher passes what {@code uname -m} said as {@code -Dvmsnapshot.machine}, so the launcher and
 * the handler cannot disagree; without it (tests, a JVM started by hand) the JVM's {@code os.arch},
 * which says {@code amd64} where the kernel says {@code x86_64}, is translated.
 */
public record Machine(String name) {
    static final String PROPERTY = "vmsnapshot.machine";

    public Machine {
        Objects.requireNonNull(name, "name");
    }

    public static Machine current() {
        String fromLauncher = System.getProperty(PROPERTY);
        if (fromLauncher != null && !fromLauncher.isBlank()) {
            return new Machine(fromLauncher);
        }
        return fromOsArch(System.getProperty("os.arch", "unknown"));
    }

    static Machine fromOsArch(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> new Machine("x86_64");
            case "aarch64", "arm64" -> new Machine("aarch64");
            default -> new Machine(osArch);
        };
    }
}

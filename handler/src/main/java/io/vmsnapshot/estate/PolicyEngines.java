package io.vmsnapshot.estate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The policy engines that can refuse an exec on RHEL-like VMs, read from the kernel's and the
 * daemons' own files (no {@code getenforce}, no {@code systemctl}: neither need be installed).
 */
public final class PolicyEngines {
    /** SELinux as the kernel has it. */
    public enum SelinuxMode {
        ENFORCING, PERMISSIVE, ABSENT
    }

    private final Path sysRoot;
    private final Path procRoot;
    private final Path runRoot;

    /**
     * @param sysRoot  normally {@code /sys}
     * @param procRoot normally {@code /proc}
     * @param runRoot  normally {@code /run}
     */
    public PolicyEngines(Path sysRoot, Path procRoot, Path runRoot) {
        this.sysRoot = Objects.requireNonNull(sysRoot, "sysRoot");
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
        this.runRoot = Objects.requireNonNull(runRoot, "runRoot");
    }

    /** {@code /sys/fs/selinux/enforce}: 1 enforcing, 0 permissive; no selinuxfs, no SELinux. */
    public SelinuxMode selinux() {
        try {
            String value = Files.readString(sysRoot.resolve("fs/selinux/enforce"), StandardCharsets.US_ASCII).strip();
            return value.equals("1") ? SelinuxMode.ENFORCING : SelinuxMode.PERMISSIVE;
        } catch (IOException e) {
            return SelinuxMode.ABSENT;
        }
    }

    /** A process named fapolicyd, or the daemon's fifo ({@code /run/fapolicyd/fapolicyd.fifo}, there only while it runs). */
    public boolean fapolicydRuns() {
        if (Files.exists(runRoot.resolve("fapolicyd/fapolicyd.fifo"))) {
            return true;
        }
        try (Stream<Path> entries = Files.list(procRoot)) {
            return entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .anyMatch(PolicyEngines::isFapolicyd);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isFapolicyd(Path process) {
        try {
            return Files.readString(process.resolve("comm"), StandardCharsets.UTF_8).strip().equals("fapolicyd");
        } catch (IOException e) {
            return false;
        }
    }
}

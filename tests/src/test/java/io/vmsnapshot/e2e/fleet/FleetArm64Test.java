package io.vmsnapshot.e2e.fleet;

import io.vmsnapshot.e2e.CiRequirement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The package on an arm64 system: a Debian 12 minbase userland for aarch64, every program in it run
 * by qemu-user through binfmt_misc (registered with F, so the interpreter need not be inside the
 * root). The launcher must pick the aarch64 runtime and the aarch64 freeze helper.
 */
class FleetArm64Test extends FleetScenarios {
    private static final Path BINFMT_AARCH64 = Path.of("/proc/sys/fs/binfmt_misc/qemu-aarch64");

    @Override
    void requireMachine() throws IOException {
        // scripts/userlands.sh registers qemu-aarch64 when it can; what is left to check is that it did.
        Userlands.debian12Arm64();
        CiRequirement.require(Files.isReadable(BINFMT_AARCH64) && Files.readString(BINFMT_AARCH64).startsWith("enabled"),
                "binfmt_misc has no enabled qemu-aarch64 entry, so aarch64 programs cannot run here");
    }

    @Override
    Userland userland() {
        return Userlands.debian12Arm64();
    }

    @Override
    boolean oldSetsid() {
        return false;
    }

    @Override
    Duration backupDone() {
        // Every JVM start (enable, worker, plugin host) runs under emulation.
        return Duration.ofMinutes(6);
    }

    /**
     * qemu-user's answer: it does not emulate FIFREEZE, so the call never reaches the kernel. An
     * x86-64 helper picked by mistake would run natively and get the kernel's "Operation not
     * supported" instead; so would the aarch64 one if a later qemu emulated the call.
     */
    @Override
    String freezeError() {
        return "Function not implemented";
    }
}

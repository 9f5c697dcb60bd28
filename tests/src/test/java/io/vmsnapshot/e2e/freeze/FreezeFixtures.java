package io.vmsnapshot.e2e.freeze;

import io.vmsnapshot.e2e.CiRequirement;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.fixtures.LoopMount;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.freeze.FreezeRecordStore;
import io.vmsnapshot.freeze.HelperFreezer;
import io.vmsnapshot.freeze.Mount;
import io.vmsnapshot.freeze.MountTable;
import io.vmsnapshot.freeze.SystemHelperLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Shared set-up of the freeze tests: the built helper, the real mount table, root. */
final class FreezeFixtures {
    static final Path PROC = Path.of("/proc");
    static final Path MOUNT_INFO = Path.of("/proc/self/mountinfo");

    private FreezeFixtures() {
    }

    /** The helper built by the handler module (handler/target/native). */
    static Path helper() {
        Path helper = Path.of(System.getProperty("vmsnapshot.freezeHelper",
                System.getProperty("vmsnapshot.repo", "..") + "/handler/target/native/x86_64/vmsnapshot-freeze"));
        assertTrue(Files.isExecutable(helper), "build the handler module first: no helper at " + helper);
        return helper;
    }

    static void assumeRoot() {
        CiRequirement.requireRoot("freezing, mounting and loop devices need root (CI and the dev machines run as root)");
    }

    static HelperFreezer freezer(Path runDir) {
        return new HelperFreezer(helper(), new SystemHelperLauncher(), new FreezeRecordStore(runDir), PROC,
                Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }

    /** The mount-table entry of our own loop mount: the only kind of mount these tests freeze. */
    static Mount mountOf(LoopMount loop) throws HandlerException {
        return new MountTable(MOUNT_INFO).read().stream()
                .filter(m -> m.mountPoint().equals(loop.mountPoint()))
                .reduce((first, last) -> last)
                .orElseThrow(() -> new AssertionError(loop.mountPoint() + " is not in " + MOUNT_INFO));
    }
}

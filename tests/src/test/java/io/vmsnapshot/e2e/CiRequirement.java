package io.vmsnapshot.e2e;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A machine capability a test cannot run without (root, binfmt_misc, overlayfs). In CI
 * ({@code CI=true}) a missing one fails the test with the reason: CI runs as root on a machine
 * that has them all, so a skip there would hide a broken set-up (a green run without the freeze,
 * loop-mount and backup tests). Elsewhere the test is skipped, and the skip says why.
 */
public final class CiRequirement {
    private CiRequirement() {
    }

    public static void require(boolean met, String reason) {
        if (met) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true and this test cannot run: " + reason);
        }
        assumeTrue(false, reason);
    }

    /** Freezing, mounting and loop devices need root. */
    public static void requireRoot(String reason) {
        require("root".equals(System.getProperty("user.name")), reason);
    }
}

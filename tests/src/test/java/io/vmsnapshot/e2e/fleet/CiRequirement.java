package io.vmsnapshot.e2e.fleet;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A machine capability a test cannot run without (root, binfmt_misc, overlayfs). In CI
 * ({@code CI=true}) a missing one fails the test with the reason: CI runs as root on a machine
 * that has them all, so a skip there would hide a broken set-up. Elsewhere the test is skipped,
 * and the skip says why.
 */
final class CiRequirement {
    private CiRequirement() {
    }

    static void require(boolean met, String reason) {
        if (met) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true and the fleet tests cannot run: " + reason);
        }
        assumeTrue(false, reason);
    }
}

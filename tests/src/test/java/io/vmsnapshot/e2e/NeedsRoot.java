package io.vmsnapshot.e2e;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The end-to-end tests that freeze, mount or use loop devices need root. A developer's non-root run
 * skips them; CI ({@code CI=true}) fails them instead, because a green CI run without its most
 * important tests would say nothing about a backup.
 */
public final class NeedsRoot {
    private NeedsRoot() {
    }

    /** @param why what needs root, for the skip or failure message */
    public static void require(String why) {
        requireThat("root".equals(System.getProperty("user.name")), why);
    }

    /** @param available whether what the test needs (root, a capability) is there */
    public static void requireThat(boolean available, String why) {
        if (!available && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true, so this test must run, but: " + why);
        }
        assumeTrue(available, why);
    }
}

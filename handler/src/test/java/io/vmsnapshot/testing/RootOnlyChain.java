package io.vmsnapshot.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The guards' own statement of the plugin host's directory rule, written apart from
 * {@link Sandbox#unsafeAncestor} so that a wrong rule in the fixtures cannot pass itself.
 */
public final class RootOnlyChain {
    private RootOnlyChain() {
    }

    /** Every directory from {@code dir} up to {@code /}: no symlink, owned by root, not group/other-writable. */
    public static void assertRootOnly(Path dir) throws IOException {
        for (Path current = dir; current != null; current = current.getParent()) {
            assertFalse(Files.isSymbolicLink(current), current + " is a symbolic link");
            assertEquals(0, Files.getAttribute(current, "unix:uid", LinkOption.NOFOLLOW_LINKS),
                    current + " is owned by root");
            int mode = (Integer) Files.getAttribute(current, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            assertEquals(0, mode & 0022, current + " is not writable by group or other: "
                    + Integer.toOctalString(mode & 07777));
        }
    }
}

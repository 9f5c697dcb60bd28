package io.vmsnapshot.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The guard of every plugin host test that runs scripts: if the sandbox ever again depends on where
 * the clone is or on {@code /tmp}'s mode, this fails here, by name, instead of script tests failing
 * with 306 on some machines only. The chain is checked with this test's own code, not the sandbox's.
 */
class SandboxTest {
    @Test
    void create_stagesScriptsWhereEveryAncestorIsRootOwnedAndNotWritableByGroupOrOther() throws IOException {
        try (Sandbox box = Sandbox.create()) {
            Path script = box.script("scripts/pre.sh", "exit 0");

            for (Path current = script.getParent(); current != null; current = current.getParent()) {
                assertFalse(Files.isSymbolicLink(current), current + " is a symbolic link");
                assertEquals(0, Files.getAttribute(current, "unix:uid", LinkOption.NOFOLLOW_LINKS),
                        current + " is owned by root");
                int mode = (Integer) Files.getAttribute(current, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                assertEquals(0, mode & 0022, current + " is not writable by group or other: "
                        + Integer.toOctalString(mode & 07777));
            }
        }
    }

    @Test
    void create_isNeverBelowTheCheckoutOrTheJavaTempDir() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
        Path module = Path.of("").toRealPath();
        try (Sandbox box = Sandbox.create()) {
            Path real = box.root().toRealPath();

            assertFalse(real.startsWith(tmp), real + " is below " + tmp);
            assertFalse(real.startsWith(module.getParent()), real + " is below the checkout " + module.getParent());
            assertTrue(Sandbox.BASES.contains(real.getParent()), real + " is directly below one of " + Sandbox.BASES);
        }
    }

    @Test
    void unsafeAncestor_namesAWorldWritableDirectory() throws IOException {
        Path tmp = Files.createTempDirectory("sandbox-guard-");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));

            Optional<String> unsafe = Sandbox.unsafeAncestor(tmp);

            assertTrue(unsafe.orElseThrow().contains("writable by group or other"), unsafe.get());
        } finally {
            Files.delete(tmp);
        }
    }

    @Test
    void close_removesTheSandboxWithWhatIsInIt() {
        Sandbox box = Sandbox.create();
        box.script("scripts/pre.sh", "exit 0");

        box.close();

        assertFalse(Files.exists(box.root(), LinkOption.NOFOLLOW_LINKS));
    }
}

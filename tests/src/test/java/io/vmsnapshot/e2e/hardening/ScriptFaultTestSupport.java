package io.vmsnapshot.e2e.hardening;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Small file helpers shared by the hardening tests. */
final class ScriptFaultTestSupport {
    private ScriptFaultTestSupport() {
    }

    static void mode(Path path, String mode) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }
}

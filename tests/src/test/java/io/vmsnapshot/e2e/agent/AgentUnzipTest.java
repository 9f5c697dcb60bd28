package io.vmsnapshot.e2e.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentUnzipTest {
    @TempDir
    Path dir;

    @Test
    void extract_givesEveryFile0744_andTurnsASymlinkEntryIntoAFileHoldingItsTarget() throws IOException {
        Path zip = dir.resolve("p.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            ZipEntry script = new ZipEntry("bin/run.sh");
            out.putNextEntry(script);
            out.write("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
            // What a symlink entry holds: the link target as data (its mode bits live in the central directory).
            out.putNextEntry(new ZipEntry("lib/link"));
            out.write("../bin/run.sh".getBytes(StandardCharsets.UTF_8));
        }
        Path target = dir.resolve("base");

        AgentUnzip.extract(zip, target);

        for (String file : new String[] {"bin/run.sh", "lib/link"}) {
            assertEquals("rwxr--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve(file))));
        }
        assertFalse(Files.isSymbolicLink(target.resolve("lib/link")));
        assertEquals("../bin/run.sh", Files.readString(target.resolve("lib/link")));
    }

    @Test
    void extract_refusesAnEntryOutsideTheTarget() throws IOException {
        Path zip = dir.resolve("evil.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("../escaped"));
        }
        assertThrows(IOException.class, () -> AgentUnzip.extract(zip, dir.resolve("base")));
    }
}

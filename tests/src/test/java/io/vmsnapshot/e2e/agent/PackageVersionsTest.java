package io.vmsnapshot.e2e.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageVersionsTest {
    @Test
    void next_incrementsTheLastComponent() {
        assertEquals("1.0.9300.1", PackageVersions.next("1.0.9300.0"));
        assertEquals("1.0.9300.10", PackageVersions.next("1.0.9300.9"));
    }

    @Test
    void withVersion_rewritesOnlyManifestXmlsVersion(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("a.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("manifest.xml"));
            out.write("<X><Version>1.0.0.0</Version></X>".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("bin/handle.sh"));
            out.write("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
        }
        Path derived = PackageVersions.withVersion(zip, "1.0.0.1", dir.resolve("b.zip"));
        assertEquals("1.0.0.1", PackageVersions.declaredVersion(derived));
        assertArrayEquals(PackageVersions.entry(zip, "bin/handle.sh"), PackageVersions.entry(derived, "bin/handle.sh"));
    }
}

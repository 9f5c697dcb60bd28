package io.vmsnapshot.e2e.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Versions of the package for update tests: the agent knows a version only by the goal state and
 * the directory {@code <Name>-<Version>} it unzips into, so a "version N+1" package is the built zip
 * with manifest.xml saying N+1, unzipped under the N+1 name.
 */
public final class PackageVersions {
    private static final Pattern MANIFEST_VERSION = Pattern.compile("<Version>([^<]*)</Version>");

    private PackageVersions() {
    }

    /** 1.0.9300.0 -> 1.0.9300.1: the last component plus one. */
    public static String next(String version) {
        int dot = version.lastIndexOf('.');
        return version.substring(0, dot + 1) + (Integer.parseInt(version.substring(dot + 1)) + 1);
    }

    /** The version manifest.xml inside the zip declares. */
    public static String declaredVersion(Path zip) throws IOException {
        String manifest = new String(entry(zip, "manifest.xml"), StandardCharsets.UTF_8);
        Matcher matcher = MANIFEST_VERSION.matcher(manifest);
        if (!matcher.find()) {
            throw new IOException(zip + ": manifest.xml has no <Version>");
        }
        return matcher.group(1);
    }

    /** Copies the zip to {@code target} with manifest.xml's version replaced; every other entry byte for byte. */
    public static Path withVersion(Path zip, String version, Path target) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals("manifest.xml")) {
                    String manifest = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    out.write(MANIFEST_VERSION.matcher(manifest).replaceFirst("<Version>" + version + "</Version>")
                            .getBytes(StandardCharsets.UTF_8));
                } else {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return target;
    }

    static byte[] entry(Path zip, String name) throws IOException {
        try (InputStream file = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(file)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals(name)) {
                    return in.readAllBytes();
                }
            }
        }
        throw new IOException(zip + " has no entry " + name);
    }
}

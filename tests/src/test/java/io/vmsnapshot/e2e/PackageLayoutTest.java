package io.vmsnapshot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.PackageVersions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The zip as built: every entry the agent and the handler need, nothing the agent would mangle. */
class PackageLayoutTest {
    private static Map<String, byte[]> entries;
    private static String version;

    @BeforeAll
    static void readZip() throws IOException {
        version = AgentSimulator.builtVersion();
        entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(AgentSimulator.builtZip().toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                if (!entry.isDirectory()) {
                    try (InputStream data = zip.getInputStream(entry)) {
                        entries.put(entry.getName(), data.readAllBytes());
                    }
                }
            }
        }
    }

    @Test
    void zip_isNamedAfterTheProjectVersion() {
        assertEquals("vmsnapshot-linux-" + version + ".zip", AgentSimulator.builtZip().getFileName().toString());
    }

    @Test
    void zip_containsEveryRequiredEntry() {
        List<String> required = List.of("HandlerManifest.json", "manifest.xml", "bin/handle.sh",
                "lib/vmsnapshot-handler-" + version + ".jar", "lib/vmsnapshot-pluginhost.jar", "lib/pluginhost.sha256",
                "conf/VMSnapshotPluginConfig.json", "conf/VMSnapshotPluginHost.conf",
                "runtime/x86_64/bin/java", "runtime/x86_64/lib/jspawnhelper", "runtime/x86_64/lib/modules",
                "runtime/x86_64/lib/server/libjvm.so", "runtime/x86_64/lib/server/classes.jsa",
                "runtime/x86_64/lib/security/cacerts", "runtime/x86_64/release", "runtime/aarch64.tar.xz",
                "bin/x86_64/vmsnapshot-freeze", "bin/aarch64/vmsnapshot-freeze", "cds/x86_64/app.aot",
                "cds/x86_64/worker.aot");
        List<String> missing = new ArrayList<>(required);
        missing.removeAll(entries.keySet());
        assertEquals(List.of(), missing, "missing from the zip");
    }

    @Test
    void zip_holdsNothingTheBuildsTrainingRunLeftBehind() {
        // The build runs bin/handle.sh from the staged package to make the caches in cds/x86_64/; the aarch64
        // runtime is in the zip only packed.
        List<String> leftovers = entries.keySet().stream()
                .filter(name -> name.startsWith("tmp/") || name.startsWith("state/") || name.startsWith("status/")
                        || name.startsWith("config/") || name.equals("mrseq") || name.equals("HandlerEnvironment.json")
                        || name.equals("heartbeat.log") || (name.startsWith("cds/") && !name.equals("cds/x86_64/app.aot") && !name.equals("cds/x86_64/worker.aot")
                        && !name.equals("cds/") && !name.equals("cds/x86_64/"))
                        || name.startsWith("runtime/aarch64/"))
                .sorted().toList();
        assertEquals(List.of(), leftovers);
    }

    @Test
    void theLaunchersClassPaths_nameEveryLibJar_andTheLifecycleCommandsGoWithoutBouncyCastle() throws IOException {
        List<String> lifecycle = launcherClassPath("LIFECYCLE_CLASS_PATH='", "'");
        List<String> full = launcherClassPath("CLASS_PATH=\"$LIFECYCLE_CLASS_PATH:", "\"");
        full.addAll(0, lifecycle);
        List<String> libJars = entries.keySet().stream()
                .filter(name -> name.startsWith("lib/") && name.endsWith(".jar") && !name.equals("lib/vmsnapshot-pluginhost.jar"))
                .sorted().toList();

        assertEquals(libJars, full.stream().sorted().toList(), "the worker's class path is every lib jar but the plugin host's");
        assertEquals("lib/vmsnapshot-handler-" + version + ".jar", lifecycle.get(0));
        assertEquals(List.of(), lifecycle.stream().filter(jar -> jar.startsWith("lib/bc")).toList(),
                "only the worker decrypts: BouncyCastle stays off the lifecycle commands' class path");
        assertEquals(List.of("lib/bcpkix", "lib/bcprov", "lib/bcutil"), full.stream().filter(jar -> jar.startsWith("lib/bc"))
                .map(jar -> jar.substring(0, jar.indexOf('-'))).sorted().toList(), "the worker's has BouncyCastle's three jars");
        Manifest manifest = handlerJarManifest();
        assertEquals(null, manifest.getMainAttributes().getValue("Class-Path"),
                "the JVM follows a jar's Class-Path even under -cp: it would bring BouncyCastle back");
        assertEquals("io.vmsnapshot.Main", manifest.getMainAttributes().getValue("Main-Class"));
    }

    /** The jars of one of the launcher's class paths, as the build wrote them into bin/handle.sh. */
    private static List<String> launcherClassPath(String start, String end) {
        String launcher = new String(entries.get("bin/handle.sh"), StandardCharsets.UTF_8);
        String line = launcher.lines().filter(l -> l.startsWith("readonly " + start)).findFirst()
                .orElseThrow(() -> new AssertionError("bin/handle.sh has no line 'readonly " + start + "...'"));
        String value = line.substring(("readonly " + start).length(), line.lastIndexOf(end));
        assertFalse(value.contains("@"), "the build filled it in: " + line);
        return new ArrayList<>(List.of(value.split(":")));
    }

    @Test
    void zip_carriesBothArchitectures_withinItsSizeBudget() throws IOException {
        long size = Files.size(AgentSimulator.builtZip());
        assertTrue(size <= 56L * 1024 * 1024, "the zip with both architectures is " + size / (1024 * 1024)
                + " MiB, over 56 MiB");
    }

    @Test
    void zip_hasNoSymlinksAndNoPathsOutsideTheBaseDir() throws IOException {
        try (ZipFile zip = new ZipFile(AgentSimulator.builtZip().toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                assertFalse(entry.getName().startsWith("/") || entry.getName().contains(".."), entry.getName());
            }
        }
        ZipUnixModes.read(AgentSimulator.builtZip()).forEach((name, mode) -> assertFalse(
                (mode & ZipUnixModes.TYPE_MASK) == ZipUnixModes.SYMLINK,
                "symlink entry (the agent would unpack a file holding its target): " + name));
    }

    @Test
    void manifestXml_namesPublisherTypeAndTheProjectVersion() throws IOException {
        String manifest = new String(entries.get("manifest.xml"), StandardCharsets.UTF_8);
        assertTrue(manifest.contains("<ProviderNameSpace>Microsoft.Azure.RecoveryServices</ProviderNameSpace>"), manifest);
        assertTrue(manifest.contains("<Type>VMSnapshotLinux</Type>"), manifest);
        assertEquals(version, PackageVersions.declaredVersion(AgentSimulator.builtZip()));
    }

    @Test
    void launcher_hasTheVersionFilledIn() {
        String launcher = new String(entries.get("bin/handle.sh"), StandardCharsets.UTF_8);
        assertTrue(launcher.startsWith("#!/bin/sh\n"), "POSIX sh shebang");
        assertTrue(launcher.contains("readonly HANDLER_VERSION='" + version + "'"), "version filtered in");
        assertFalse(launcher.contains("@project.version@") || launcher.contains("@extension."), "no unfiltered token");
    }

    @Test
    void pluginhostDigests_areTheOnesRecordedInTheHandlerJar_andMatchThePackagedFiles() throws Exception {
        byte[] recorded = jarEntry(entries.get("lib/vmsnapshot-handler-" + version + ".jar"),
                "io/vmsnapshot/prepost/pluginhost.sha256");
        assertEquals(new String(recorded, StandardCharsets.UTF_8),
                new String(entries.get("lib/pluginhost.sha256"), StandardCharsets.UTF_8));
        for (String line : new String(recorded, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] digestAndPath = line.split("\\s+", 2);
            byte[] file = entries.get(digestAndPath[1].trim());
            assertTrue(file != null, "digest names a packaged file: " + line);
            assertEquals(digestAndPath[0], HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)),
                    digestAndPath[1]);
        }
    }

    @Test
    void libJars_areUnsigned_soClassDataSharingCanArchiveThem() throws IOException {
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            if (entry.getKey().startsWith("lib/") && entry.getKey().endsWith(".jar")) {
                try (JarInputStream jar = new JarInputStream(new java.io.ByteArrayInputStream(entry.getValue()))) {
                    for (ZipEntry inner = jar.getNextEntry(); inner != null; inner = jar.getNextEntry()) {
                        assertFalse(inner.getName().matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)"),
                                entry.getKey() + " is signed: " + inner.getName());
                    }
                }
            }
        }
    }

    private static Manifest handlerJarManifest() throws IOException {
        try (JarInputStream jar = new JarInputStream(new java.io.ByteArrayInputStream(
                entries.get("lib/vmsnapshot-handler-" + version + ".jar")))) {
            return jar.getManifest();
        }
    }

    private static byte[] jarEntry(byte[] jarBytes, String name) throws IOException {
        try (JarInputStream jar = new JarInputStream(new java.io.ByteArrayInputStream(jarBytes))) {
            for (ZipEntry entry = jar.getNextEntry(); entry != null; entry = jar.getNextEntry()) {
                if (entry.getName().equals(name)) {
                    return jar.readAllBytes();
                }
            }
        }
        throw new AssertionError("handler jar has no " + name);
    }
}

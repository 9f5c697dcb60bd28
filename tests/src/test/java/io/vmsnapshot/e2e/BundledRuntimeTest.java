package io.vmsnapshot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentSimulator.Operation;
import io.vmsnapshot.e2e.agent.CommandResult;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jlink'ed runtime after the agent's unzip (all modes 0744, no symlinks, fresh mtimes): it starts,
 * maps its CDS archive, holds exactly the modules the handler needs, and every command, the first
 * after the unzip too, takes the handler's classes from the AOT cache the build made; a cache it
 * cannot use only slows it down.
 */
class BundledRuntimeTest {
    /** Modules jdeps names for the lib jars that are left out on purpose (see runtime.modules in manifest/pom.xml). */
    private static final Set<String> LEFT_OUT = Set.of("java.desktop", "java.sql", "java.naming", "java.xml");
    /** Modules in the runtime that jdeps cannot see: service providers, and code still being written. */
    private static final Set<String> NOT_VISIBLE_TO_JDEPS = Set.of("jdk.crypto.ec", "java.net.http");

    @TempDir
    static Path sandbox;
    private static Path baseDir;
    private static String version;

    @BeforeAll
    static void unzipTheAgentsWay() throws IOException {
        version = AgentSimulator.builtVersion();
        baseDir = AgentSimulator.inSandbox(sandbox).download(AgentSimulator.builtZip(), version);
    }

    @Test
    void afterAgentUnzip_everyFileIs0744_andNothingIsASymlink() throws IOException {
        try (Stream<Path> paths = Files.walk(baseDir.resolve("runtime/x86_64"))) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                assertFalse(Files.isSymbolicLink(path), path.toString());
                if (Files.isRegularFile(path)) {
                    assertEquals("rwxr--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)), path.toString());
                }
            }
        }
    }

    @Test
    void runtime_runsJavaVersion_afterAgentUnzip() throws Exception {
        Exec.Result version = Exec.run(baseDir, List.of(java(), "-version"));
        assertEquals(0, version.exitCode(), version.toString());
        assertTrue(version.stderr().contains("64-Bit Server VM"), version.stderr());
    }

    @Test
    void runtime_mapsItsBaseCdsArchive_afterAgentUnzip() throws Exception {
        // -Xshare:on turns "archive unusable" into a start-up failure instead of a silent fallback.
        Exec.Result run = Exec.run(baseDir, List.of(java(), "-Xshare:on", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xlog:class+load=info", "-version"));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("java.lang.Object source: shared objects file"), "JDK classes come from the archive");
    }

    @Test
    void runtime_holdsExactlyTheModulesTheHandlerNeeds() throws Exception {
        Set<String> runtime = runtimeModules();
        Set<String> needed = jdepsModules();
        Set<String> missing = new TreeSet<>(needed);
        missing.removeAll(runtime);
        missing.removeAll(LEFT_OUT);
        assertEquals(Set.of(), missing, "jdeps says the lib jars use these modules; add them to runtime.modules in"
                + " manifest/pom.xml, or to LEFT_OUT here with the reason in the pom");
        Set<String> unexplained = new TreeSet<>(runtime);
        unexplained.removeAll(needed);
        unexplained.removeAll(NOT_VISIBLE_TO_JDEPS);
        assertEquals(Set.of(), unexplained, "modules in the runtime that nothing uses");
        assertTrue(runtime.contains("java.base") && runtime.size() <= 6, "a minimal runtime: " + runtime);
    }

    @Test
    void runtime_runsJacksonBouncyCastleTlsAndHttp_withThePackagedJars() throws Exception {
        List<String> classPath = new ArrayList<>();
        try (Stream<Path> jars = Files.list(baseDir.resolve("lib"))) {
            jars.filter(jar -> jar.toString().endsWith(".jar")).map(Path::toString).forEach(classPath::add);
        }
        classPath.add(Path.of(RuntimeSmoke.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        Path work = Files.createDirectories(sandbox.resolve("smoke"));
        Exec.Result smoke = Exec.run(baseDir, List.of(java(), "-cp", String.join(File.pathSeparator, classPath),
                RuntimeSmoke.class.getName(), work.toString()));
        assertEquals(0, smoke.exitCode(), smoke.toString());
    }

    @Test
    void theFirstCommandAfterTheUnzip_alreadyTakesTheHandlersClassesFromTheAotCache(@TempDir Path ownSandbox)
            throws Exception {
        // -XX:AOTMode=on turns "cache unusable" into a start-up failure instead of a silent fallback.
        AgentSimulator agent = new AgentSimulator(ownSandbox, AgentSimulator.Options.defaults()
                .withEnvironment("VMSNAPSHOT_JVM_OPTIONS", "-XX:AOTMode=on -Xlog:class+load=info:stderr"));
        agent.download(AgentSimulator.builtZip(), version);
        agent.writeRawSettings(version, 0, "");

        // Update runs before install, on the jars' fresh mtimes.
        CommandResult enable = agent.run(Operation.ENABLE, version, java.util.Map.of());

        assertTrue(enable.stderr().contains("io.vmsnapshot.Main source: shared objects file"),
                "the handler's own classes come from the AOT cache:\n" + enable);
        // Enable's JSON is read by hand and builds Jackson's trees, no ObjectMapper (EnableStartUpTest).
        assertTrue(enable.stderr().contains("com.fasterxml.jackson.databind.JsonNode source: shared objects file"),
                "and so do its libraries':\n" + enable);
        assertFalse(enable.stdout().contains("shared objects file"), "JVM output stays out of the handler's stdout");
    }

    @Test
    void install_andEveryLaterCommandUseTheAotCache_andInstallWritesNothingBesideIt(@TempDir Path ownSandbox)
            throws Exception {
        AgentSimulator agent = new AgentSimulator(ownSandbox, AgentSimulator.Options.defaults()
                .withEnvironment("VMSNAPSHOT_JVM_OPTIONS", "-XX:AOTMode=on -Xlog:class+load=info:stderr"));
        Path base = agent.download(AgentSimulator.builtZip(), version);
        agent.writeRawSettings(version, 0, "");

        CommandResult install = agent.run(Operation.INSTALL, version, java.util.Map.of());
        CommandResult enable = agent.run(Operation.ENABLE, version, java.util.Map.of());

        assertEquals(0, install.exitCode(), install.toString());
        assertTrue(install.stderr().contains("io.vmsnapshot.Main source: shared objects file"), install.toString());
        assertTrue(enable.stderr().contains("io.vmsnapshot.Main source: shared objects file"), enable.toString());
        try (Stream<Path> entries = Files.list(base.resolve("cds/x86_64"))) {
            assertEquals(List.of(base.resolve("cds/x86_64/app.aot"), base.resolve("cds/x86_64/worker.aot")),
                    entries.sorted().toList(), "install writes nothing there");
        }
    }

    @Test
    void theVerifiedPluginHost_comesFromTheAotCache_whenItsBytesAreTheTrainedOnes(@TempDir Path ownSandbox)
            throws Exception {
        AgentSimulator agent = AgentSimulator.inSandbox(ownSandbox);
        Path base = agent.download(AgentSimulator.builtZip(), version);
        assertEquals(0, agent.run(Operation.INSTALL, version, java.util.Map.of()).exitCode());

        // Its classes are defined from the bytes whose digest was checked; the JVM takes the cached
        // class for bytes of the same size and CRC-32 as the training's.
        Exec.Result check = Exec.run(Path.of("/"), List.of("/usr/bin/env",
                "VMSNAPSHOT_JVM_OPTIONS=-XX:AOTMode=on -Xlog:class+load=info:stderr", "VMSNAPSHOT_LOCALE=en-US",
                "VMSNAPSHOT_CONFIG_DIR=" + ownSandbox.resolve("no-config"), "/bin/sh",
                base.resolve("bin/handle.sh").toString(), "check"));

        assertTrue(check.stderr().contains("io.vmsnapshot.pluginhost.ScriptPluginHostFactory source: shared objects file"),
                check.toString());
    }

    @Test
    void theLifecycleCommandsCache_holdsNoneOfCheckAndDryRun_whichTakeTheWorkersCache(@TempDir Path ownSandbox)
            throws Exception {
        AgentSimulator agent = new AgentSimulator(ownSandbox, AgentSimulator.Options.defaults()
                .withEnvironment("VMSNAPSHOT_JVM_OPTIONS", "-XX:AOTMode=on -Xlog:class+load=info:stderr"));
        Path base = agent.download(AgentSimulator.builtZip(), version);

        // The JVM loads every class of its cache at start: one of the operator commands' would show here.
        CommandResult install = agent.run(Operation.INSTALL, version, java.util.Map.of());
        Exec.Result dryRun = Exec.run(Path.of("/"), List.of("/usr/bin/env",
                "VMSNAPSHOT_JVM_OPTIONS=-XX:AOTMode=on -Xlog:class+load=info:stderr", "VMSNAPSHOT_LOCALE=en-US",
                "VMSNAPSHOT_CONFIG_DIR=" + ownSandbox.resolve("no-config"), "/bin/sh",
                base.resolve("bin/handle.sh").toString(), "dry-run"));

        assertEquals(0, install.exitCode(), install.toString());
        assertTrue(install.stderr().contains("io.vmsnapshot.Main source: shared objects file"), install.toString());
        for (String operatorClass : List.of("io.vmsnapshot.prepost.DryRun ", "io.vmsnapshot.prepost.PluginHostLoader ")) {
            assertFalse(install.stderr().contains(operatorClass), operatorClass + "in the lifecycle cache:\n" + install);
        }
        assertTrue(dryRun.stderr().contains("io.vmsnapshot.prepost.DryRun source: shared objects file"), dryRun.toString());
    }

    @Test
    void aCorruptTruncatedOrEmptyAotCache_orNone_onlySlowsTheStart(@TempDir Path ownSandbox) throws Exception {
        AgentSimulator agent = AgentSimulator.inSandbox(ownSandbox);
        Path base = agent.download(AgentSimulator.builtZip(), version);
        Path cache = base.resolve("cds/x86_64/app.aot");
        byte[] built = Files.readAllBytes(cache);
        byte[] garbage = new byte[built.length];
        new java.util.Random(13).nextBytes(garbage);
        byte[] badHeader = built.clone();
        for (int i = 16; i < 80; i++) {
            badHeader[i] ^= 0x5a;
        }
        agent.writeRawSettings(version, 0, "");
        assertEquals(0, agent.run(Operation.INSTALL, version, java.util.Map.of()).exitCode());
        // The handler's own answer to this request (settings without a handler section), with the cache intact.
        int expected = agent.run(Operation.ENABLE, version, java.util.Map.of()).exitCode();
        List<byte[]> caches = List.of(garbage, java.util.Arrays.copyOf(built, built.length / 3), new byte[0], badHeader);
        for (byte[] bytes : caches) {
            Files.write(cache, bytes);
            Files.deleteIfExists(base.resolve("mrseq"));
            CommandResult install = agent.run(Operation.INSTALL, version, java.util.Map.of());
            CommandResult enable = agent.run(Operation.ENABLE, version, java.util.Map.of());

            assertEquals(0, install.exitCode(), install.toString());
            assertEquals(expected, enable.exitCode(), enable.toString());
            assertTrue(enable.stderr().contains("[aot]"), "the JVM says why on stderr:\n" + enable);
            assertFalse(enable.stdout().contains("[aot]"), enable.toString());
        }
        Files.delete(cache);
        Files.deleteIfExists(base.resolve("mrseq"));
        assertEquals(expected, agent.run(Operation.ENABLE, version, java.util.Map.of()).exitCode(), "and so does none");
    }

    @Test
    void anOperatorCommand_runFromAnotherWorkingDir_usesTheAotCacheToo(@TempDir Path ownSandbox) throws Exception {
        AgentSimulator agent = AgentSimulator.inSandbox(ownSandbox);
        Path base = agent.download(AgentSimulator.builtZip(), version);
        assertEquals(0, agent.run(Operation.INSTALL, version, java.util.Map.of()).exitCode());

        // The cache holds the class path as "lib/...", relative to the base dir the launcher changes to.
        Exec.Result status = Exec.run(Path.of("/"), List.of("/usr/bin/env", "VMSNAPSHOT_JVM_OPTIONS=-XX:AOTMode=on",
                "VMSNAPSHOT_LOCALE=en-US", "/bin/sh", base.resolve("bin/handle.sh").toString(), "status"));

        assertEquals(0, status.exitCode(), status.toString());
    }

    private static String java() {
        return baseDir.resolve("runtime/x86_64/bin/java").toString();
    }

    private static Set<String> runtimeModules() throws IOException {
        String release = Files.readString(baseDir.resolve("runtime/x86_64/release"));
        String modules = release.lines().filter(line -> line.startsWith("MODULES=")).findFirst()
                .orElseThrow(() -> new AssertionError("runtime/x86_64/release has no MODULES"));
        return new TreeSet<>(List.of(modules.substring("MODULES=".length()).replace("\"", "").trim().split("\\s+")));
    }

    private static Set<String> jdepsModules() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jdeps").toString(),
                "--list-deps", "--ignore-missing-deps", "--multi-release", "17"));
        try (Stream<Path> jars = Files.list(baseDir.resolve("lib"))) {
            jars.filter(jar -> jar.toString().endsWith(".jar")).map(Path::toString).sorted().forEach(command::add);
        }
        Exec.Result jdeps = Exec.run(baseDir, command);
        assertEquals(0, jdeps.exitCode(), jdeps.toString());
        Set<String> modules = new TreeSet<>();
        jdeps.stdout().lines().map(String::trim).filter(line -> !line.isEmpty())
                .map(line -> line.contains("/") ? line.substring(0, line.indexOf('/')) : line)
                .forEach(modules::add);
        return modules;
    }
}

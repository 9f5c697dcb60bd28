package io.vmsnapshot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentSimulator.Operation;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.CommandResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/handle.sh as the agent runs it (/bin/sh -c, new session, the daemon's environment). The JVM
 * reports what it was started with through VMSNAPSHOT_JVM_OPTIONS diagnostics, so these tests hold
 * whatever the handler's Main does.
 */
class LauncherTest {
    private static final String JAVA_MISSING_MESSAGE = "No Java runtime can run the extension on this VM: ";
    private static final String WHAT_TO_DO = "and no Java 17 or newer was found in JAVA_HOME or on the PATH."
            + " Install Java 17 or newer (for example the distribution's OpenJDK 17 headless package) and run the"
            + " backup again.";
    @TempDir
    Path sandbox;
    private String version;

    @BeforeEach
    void setUp() {
        version = AgentSimulator.builtVersion();
    }

    @Test
    void noJavaAnywhere_writesJavaRuntimeMissingStatusItself_andExitsNonZero() throws IOException {
        AgentSimulator agent = agent(AgentSimulator.Options.defaults().withEnvironment("PATH", ""));
        Path base = agent.download(AgentSimulator.builtZip(), version);
        hideBundledRuntime(base);
        agent.writeRawSettings(version, 7, "");

        CommandResult enable = agent.run(Operation.ENABLE, version, Map.of());

        assertEquals(3, enable.exitCode(), enable.toString());
        assertTrue(enable.stderr().contains(JAVA_MISSING_MESSAGE), enable.toString());
        AgentStatus status = agent.status(7);
        assertEquals("error", status.status());
        assertEquals(21, status.code());
        assertEquals(JAVA_MISSING_MESSAGE + "the bundled runtime for x86_64 is missing from "
                + base.resolve("runtime/x86_64") + "; " + WHAT_TO_DO, status.message());
        assertEquals("en-US", status.lang());
        assertEquals("Enable", status.operation());
        try (var leftovers = Files.list(base.resolve("status"))) {
            assertEquals(1, leftovers.count(), "only 7.status, no temp file");
        }
    }

    @Test
    void noJavaAnywhere_failsInstallWithTheInstallExitCode() throws IOException {
        AgentSimulator agent = agent(AgentSimulator.Options.defaults().withEnvironment("PATH", ""));
        Path base = agent.download(AgentSimulator.builtZip(), version);
        hideBundledRuntime(base);
        agent.writeRawSettings(version, 0, "");

        CommandResult install = agent.run(Operation.INSTALL, version, Map.of());

        assertEquals(52, install.exitCode(), install.toString());
        assertEquals(21, agent.status(0).code());
        assertEquals("Install", agent.status(0).operation());
    }

    @Test
    void javaOlderThan17OnPath_isNotUsed() throws IOException {
        Path oldJavaDir = Files.createDirectories(sandbox.resolve("old-java/bin"));
        Path oldJava = oldJavaDir.resolve("java");
        Files.writeString(oldJava, "#!/bin/sh\necho 'openjdk version \"1.8.0_412\"' >&2\nexit 0\n");
        Files.setPosixFilePermissions(oldJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        AgentSimulator agent = agent(AgentSimulator.Options.defaults().withEnvironment("PATH", oldJavaDir.toString()));
        Path base = agent.download(AgentSimulator.builtZip(), version);
        hideBundledRuntime(base);
        agent.writeRawSettings(version, 0, "");

        CommandResult enable = agent.run(Operation.ENABLE, version, Map.of());

        assertEquals(3, enable.exitCode(), enable.toString());
        assertEquals(21, agent.status(0).code());
    }

    @Test
    void withoutBundledRuntime_usesJavaHome_whenItIsJava17OrNewer() throws IOException {
        String javaHome = System.getProperty("java.home");
        AgentSimulator agent = agent(AgentSimulator.Options.defaults().withEnvironment("PATH", "")
                .withEnvironment("JAVA_HOME", javaHome).withEnvironment("VMSNAPSHOT_JVM_OPTIONS", "-XshowSettings:properties"));
        Path base = agent.download(AgentSimulator.builtZip(), version);
        hideBundledRuntime(base);
        agent.writeRawSettings(version, 0, "");

        CommandResult enable = agent.run(Operation.ENABLE, version, Map.of());

        assertTrue(enable.stderr().contains("java.home = " + javaHome), enable.toString());
        assertFalse(Files.exists(base.resolve("status/0.status")) && agent.status(0).code() == 21, "no missing-Java status");
    }

    @Test
    void bundledRuntime_isPreferred_andStartedWithTheShortLivedProcessFlags() throws IOException {
        AgentSimulator agent = agent(AgentSimulator.Options.defaults()
                .withEnvironment("JAVA_HOME", System.getProperty("java.home"))
                .withEnvironment("VMSNAPSHOT_JVM_OPTIONS", "-XshowSettings:properties -XX:+PrintCommandLineFlags"));
        Path base = agent.download(AgentSimulator.builtZip(), version);
        agent.writeRawSettings(version, 0, "");

        CommandResult enable = agent.run(Operation.ENABLE, version, Map.of());

        assertTrue(enable.stderr().contains("java.home = " + base.resolve("runtime/x86_64")), enable.toString());
        for (String flag : new String[] {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:MaxHeapSize=67108864",
                "-XX:ThreadStackSize=512", "-XX:-UsePerfData"}) {
            assertTrue(enable.stdout().contains(flag), flag + " in\n" + enable);
        }
        assertTrue(enable.stderr().contains("java.io.tmpdir = " + base.resolve("tmp")), enable.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(base.resolve("tmp"))));
    }

    @Test
    void verbAndArguments_arePassedThroughToTheHandlerJar_alsoForTheWorker() throws Exception {
        AgentSimulator agent = agent(AgentSimulator.Options.defaults()
                .withEnvironment("VMSNAPSHOT_JVM_OPTIONS", "-XshowSettings:properties -XX:+PrintCommandLineFlags"));
        Path base = agent.download(AgentSimulator.builtZip(), version);
        agent.writeRawSettings(version, 0, "");
        // Relative to the base dir, the JVM's working dir: the AOT cache records the class path so.
        String classPath = "java.class.path = lib/vmsnapshot-handler-" + version + ".jar";

        CommandResult disable = agent.run(Operation.DISABLE, version, Map.of());
        assertTrue(disable.stderr().contains("sun.java.command = io.vmsnapshot.Main disable"), disable.toString());
        assertTrue(disable.stderr().contains(classPath), disable.toString());

        // The lead's code starts the backup worker as "bin/handle.sh worker ..." and gets the same JVM set-up.
        Exec.Result worker = Exec.run(Path.of("/"), java.util.List.of("/usr/bin/env", "VMSNAPSHOT_JVM_OPTIONS="
                + "-XshowSettings:properties -XX:+PrintCommandLineFlags", "PATH=/usr/bin:/bin",
                "/bin/sh", "-c", base.resolve("bin/handle.sh") + " worker --seq 0"));
        assertTrue(worker.stderr().contains("sun.java.command = io.vmsnapshot.Main worker --seq 0"), worker.toString());
        assertTrue(worker.stderr().contains(classPath), worker.toString());
        assertTrue(worker.stderr().contains("java.home = " + base.resolve("runtime/x86_64")), "cwd / does not matter: " + worker);
        assertTrue(worker.stderr().contains("user.dir = " + base), worker.toString());
        assertTrue(worker.stderr().contains("vmsnapshot.home = " + base), "disable finds workers by it: " + worker);
        assertTrue(worker.stdout().contains("-XX:+UseSerialGC") && worker.stdout().contains("-XX:-UsePerfData"), worker.toString());
    }

    @Test
    void runtimeThatLostItsExecuteBits_isRepairedByTheLauncher() throws IOException {
        AgentSimulator agent = agent(AgentSimulator.Options.defaults()
                .withEnvironment("VMSNAPSHOT_JVM_OPTIONS", "-XshowSettings:properties"));
        Path base = agent.download(AgentSimulator.builtZip(), version);
        agent.writeRawSettings(version, 0, "");
        for (String file : new String[] {"runtime/x86_64/bin/java", "runtime/x86_64/lib/jspawnhelper"}) {
            Files.setPosixFilePermissions(base.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
        }

        CommandResult enable = agent.run(Operation.ENABLE, version, Map.of());

        assertTrue(enable.stderr().contains("java.home = " + base.resolve("runtime/x86_64")), enable.toString());
        for (String file : new String[] {"runtime/x86_64/bin/java", "runtime/x86_64/lib/jspawnhelper"}) {
            assertTrue(Files.isExecutable(base.resolve(file)), file);
        }
    }

    @Test
    void launcher_isPosixShell_withoutBashisms() throws Exception {
        Path script = Path.of(System.getProperty("vmsnapshot.repo"), "scripts/handle.sh");
        Exec.Result syntax = Exec.run(Path.of("/"), java.util.List.of("dash", "-n", script.toString()));
        assertEquals(0, syntax.exitCode(), syntax.toString());
        String text = Files.readString(script, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("#!/bin/sh\n") && text.contains("\nset -eu\n"));
        for (String bashism : new String[] {" [[ ", "function ", "local ", "$'", "pipefail", "<<<", "${!"}) {
            assertFalse(text.contains(bashism), "bashism " + bashism);
        }
        assertNotEquals(-1, text.indexOf("exec \"$java\""), "the JVM replaces the shell: the agent's process group is the JVM's");
    }

    private AgentSimulator agent(AgentSimulator.Options options) throws IOException {
        return new AgentSimulator(sandbox.resolve("agent"), options);
    }

    private static void hideBundledRuntime(Path base) throws IOException {
        Files.move(base.resolve("runtime/x86_64"), base.resolve("runtime/x86_64.hidden"));
    }
}

package io.vmsnapshot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentSimulator.Operation;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.fixtures.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher proves the bundled runtime can start before it trusts it, on VMs where it cannot:
 * a C library too old for it (told by the dynamic loader, or known from the floor the build audited),
 * another architecture's binary, a noexec mount, an architecture the package does not serve. Each
 * ends in the system's Java 17+ when there is one, else in a code-21 status that says why — never a
 * bare 126/127 and never no status.
 */
class RuntimeChoiceTest {
    private static final String LOADER_FAILURE = "runtime/x86_64/bin/java: /lib/x86_64-linux-gnu/libc.so.6:"
            + " version `GLIBC_2.34' not found (required by runtime/x86_64/bin/java)";

    @TempDir
    Path sandbox;
    private String version;

    @BeforeEach
    void setUp() {
        version = AgentSimulator.builtVersion();
    }

    @Test
    void aRuntimeTheDynamicLoaderRejects_endsInCode21_namingTheLoadersWords() throws IOException {
        AgentSimulator agent = agentWithoutSystemJava();
        Path base = agent.download(AgentSimulator.builtZip(), version);
        replaceBundledJava(base, "#!/bin/sh\necho \"" + LOADER_FAILURE.replace("`", "\\`") + "\" >&2\nexit 127\n");
        agent.writeRawSettings(version, 0, "");

        CommandResult install = agent.run(Operation.INSTALL, version, Map.of());

        assertEquals(52, install.exitCode(), install.toString());
        AgentStatus status = agent.status(0);
        assertEquals(21, status.code());
        assertTrue(status.message().contains("the bundled runtime for x86_64 did not start (exit 127: "
                + LOADER_FAILURE + ")"), status.message());
    }

    @Test
    void aRuntimeTheDynamicLoaderRejects_fallsBackToJavaHome() throws IOException {
        String javaHome = System.getProperty("java.home");
        AgentSimulator agent = new AgentSimulator(sandbox.resolve("agent"), AgentSimulator.Options.defaults()
                .withEnvironment("PATH", "").withEnvironment("JAVA_HOME", javaHome)
                .withEnvironment("VMSNAPSHOT_JVM_OPTIONS", "-XshowSettings:properties"));
        Path base = agent.download(AgentSimulator.builtZip(), version);
        replaceBundledJava(base, "#!/bin/sh\necho \"" + LOADER_FAILURE.replace("`", "\\`") + "\" >&2\nexit 127\n");
        agent.writeRawSettings(version, 0, "");

        CommandResult install = agent.run(Operation.INSTALL, version, Map.of());

        assertEquals(0, install.exitCode(), install.toString());
        assertTrue(install.stderr().contains("java.home = " + javaHome), install.toString());
        assertTrue(install.stderr().contains("the bundled runtime cannot run here: the bundled runtime for x86_64 did"
                + " not start (exit 127"), "the fall-back says why:\n" + install);
    }

    @Test
    void anotherArchitecturesBinary_isNotTrusted() throws IOException {
        AgentSimulator agent = agentWithoutSystemJava();
        Path base = agent.download(AgentSimulator.builtZip(), version);
        Files.copy(base.resolve("bin/aarch64/vmsnapshot-freeze"), base.resolve("runtime/x86_64/bin/java"),
                StandardCopyOption.REPLACE_EXISTING);
        agent.writeRawSettings(version, 0, "");

        CommandResult install = agent.run(Operation.INSTALL, version, Map.of());

        assertEquals(52, install.exitCode(), install.toString());
        assertEquals(21, agent.status(0).code());
        assertTrue(agent.status(0).message().contains("the bundled runtime for x86_64 did not start (exit "),
                agent.status(0).message());
    }

    @Test
    void aRuntimeOnANoexecMount_endsInCode21_withTheHint() throws Exception {
        AgentSimulator agent = agentWithoutSystemJava();
        Path base = agent.download(AgentSimulator.builtZip(), version);
        Path bin = base.resolve("runtime/x86_64/bin");
        Path java = sandbox.resolve("java");
        Files.copy(bin.resolve("java"), java);
        Command.check(30, "mount", "-t", "tmpfs", "-o", "noexec,size=64m", "vmsnapshot-noexec", bin.toString());
        try {
            Files.copy(java, bin.resolve("java"));
            agent.writeRawSettings(version, 0, "");

            CommandResult enable = agent.run(Operation.ENABLE, version, Map.of());

            assertEquals(3, enable.exitCode(), enable.toString());
            assertEquals(21, agent.status(0).code());
            assertTrue(agent.status(0).message().contains("did not start (exit 126: ")
                    && agent.status(0).message().contains("is the extension's directory on a noexec file system?"),
                    agent.status(0).message());
        } finally {
            Command.check(30, "umount", bin.toString());
        }
    }

    /** What dash says when fapolicyd refuses the exec (EPERM): exit 2, not 126. */
    @Test
    void aRuntimeWhoseExecIsNotPermitted_endsInCode21_namingWhatCanRefuseIt() throws IOException {
        AgentSimulator agent = agentWithoutSystemJava();
        Path base = agent.download(AgentSimulator.builtZip(), version);
        replaceBundledJava(base, "#!/bin/sh\necho \"/bin/sh: 1: runtime/x86_64/bin/java: Operation not permitted\" >&2"
                + "\nexit 2\n");
        agent.writeRawSettings(version, 0, "");

        CommandResult enable = agent.run(Operation.ENABLE, version, Map.of());

        assertEquals(3, enable.exitCode(), enable.toString());
        assertEquals(21, agent.status(0).code());
        String message = agent.status(0).message();
        assertTrue(message.contains("did not start (exit 2: /bin/sh: 1: runtime/x86_64/bin/java: Operation not"
                + " permitted)"), message);
        // This machine runs neither fapolicyd nor SELinux: what is left to name is a noexec mount.
        assertTrue(message.contains("is the extension's directory on a noexec file system?"), message);
    }

    /**
     * fapolicyd started after install: its fifo is newer than the launcher's record, so the runtime is
     * probed again instead of exec'd on the record's word (which would end in a bare exit, no status).
     * The fifo lives in a private mount namespace's /run, so the machine's own /run is never touched.
     */
    @Test
    void fapolicydStartedAfterInstall_isNoticed_andTheRefusedRuntimeNamesIt() throws Exception {
        AgentSimulator agent = agentWithoutSystemJava();
        Path base = agent.download(AgentSimulator.builtZip(), version);
        agent.writeRawSettings(version, 0, "");
        assertEquals(0, agent.run(Operation.INSTALL, version, Map.of()).exitCode());
        Files.setLastModifiedTime(base.resolve("state/runtime"),
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(60)));
        replaceBundledJava(base, "#!/bin/sh\necho \"/bin/sh: 1: runtime/x86_64/bin/java: Operation not permitted\" >&2"
                + "\nexit 2\n");

        // The agent's PATH here is empty (no system Java): the set-up's own tools are named by a PATH of their own.
        ProcessBuilder enable = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                "P=/usr/sbin:/usr/bin:/sbin:/bin; PATH=$P mount -t tmpfs vmsnapshot-run /run && PATH=$P mkdir"
                + " /run/fapolicyd && PATH=$P mkfifo /run/fapolicyd/fapolicyd.fifo && exec /bin/sh \"$0\" enable",
                base.resolve("bin/handle.sh").toString()).directory(base.toFile()).redirectErrorStream(true);
        enable.environment().clear();
        enable.environment().putAll(agent.commandEnvironment(version, Map.of()));
        Process process = enable.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertEquals(3, process.waitFor(), output);
        assertEquals(21, agent.status(0).code(), output);
        String message = agent.status(0).message();
        assertTrue(message.contains("fapolicyd runs and does not trust the package; trust it with: fapolicyd-cli --file"
                + " add " + base + "/bin/ && fapolicyd-cli --file add " + base + "/lib/ && fapolicyd-cli --file add "
                + base + "/runtime/x86_64/ && fapolicyd-cli --update"), message);
    }

    @Test
    void aCLibraryBelowTheRuntimesFloor_isNamedWithTheFloor_withoutStartingTheRuntime() throws IOException {
        // getconf is how the launcher learns the glibc version; this one says what RHEL 6 would.
        Path tools = Files.createDirectories(sandbox.resolve("old-glibc"));
        executable(tools.resolve("getconf"), "#!/bin/sh\n[ \"$1\" = GNU_LIBC_VERSION ] && echo 'glibc 2.12'\n");
        AgentSimulator agent = new AgentSimulator(sandbox.resolve("agent"), AgentSimulator.Options.defaults()
                .withEnvironment("PATH", tools.toString()));
        Path base = agent.download(AgentSimulator.builtZip(), version);
        agent.writeRawSettings(version, 0, "");

        CommandResult enable = agent.run(Operation.ENABLE, version, Map.of());

        assertEquals(3, enable.exitCode(), enable.toString());
        assertEquals(21, agent.status(0).code());
        assertTrue(agent.status(0).message().startsWith("No Java runtime can run the extension on this VM: glibc 2.12"
                + " on this VM; the bundled runtime needs 2.17;"), agent.status(0).message());
        assertTrue(Files.readString(base.resolve("state/runtime")).startsWith("x86_64 2.12 no "),
                "the verdict is recorded for the next verb");
    }

    @Test
    void anArchitectureThePackageDoesNotServe_isNamed() throws Exception {
        AgentSimulator agent = agentWithoutSystemJava();
        Path base = agent.download(AgentSimulator.builtZip(), version);
        agent.writeRawSettings(version, 0, "");
        List<String> command = new ArrayList<>(List.of("/usr/bin/env", "-i"));
        agent.commandEnvironment(version, Map.of()).forEach((name, value) -> command.add(name + "=" + value));
        // A 32-bit personality: uname -m says i686, as on a VM of an architecture we do not ship.
        command.addAll(List.of("/usr/bin/setarch", "i686", "/bin/sh", "-c", base.resolve("bin/handle.sh") + " enable"));

        Exec.Result enable = Exec.run(base, command);

        assertEquals(3, enable.exitCode(), enable.toString());
        assertEquals(21, agent.status(0).code());
        assertTrue(agent.status(0).message().contains("architecture i686 is not in this package (it serves x86_64 and"
                + " aarch64)"), agent.status(0).message());
    }

    @Test
    void installRecordsTheProbe_andAStaleRecordIsProbedAgain() throws IOException {
        AgentSimulator agent = AgentSimulator.inSandbox(sandbox.resolve("agent"));
        Path base = agent.download(AgentSimulator.builtZip(), version);
        agent.writeRawSettings(version, 0, "");

        assertEquals(0, agent.run(Operation.INSTALL, version, Map.of()).exitCode());
        String record = Files.readString(base.resolve("state/runtime"));
        assertTrue(record.matches("x86_64 \\d+\\.\\d+ ok \\S+ \n"), record);

        // As after an in-place OS upgrade: the C library the record was made for is gone.
        Files.writeString(base.resolve("state/runtime"), "x86_64 1.0 no - an old verdict\n");
        CommandResult enable = agent.run(Operation.ENABLE, version, Map.of());

        assertTrue(enable.exitCode() == 0 || agent.status(0).code() != 21, enable.toString());
        assertEquals(record, Files.readString(base.resolve("state/runtime")));
    }

    @Test
    void underTheCLocale_theJvmStillNamesFilesInUtf8() throws IOException {
        for (Map.Entry<String, String> locale : Map.of("LANG", "C", "LC_ALL", "POSIX").entrySet()) {
            AgentSimulator agent = new AgentSimulator(sandbox.resolve("agent-" + locale.getKey()),
                    AgentSimulator.Options.defaults().withEnvironment(locale.getKey(), locale.getValue())
                            .withEnvironment("VMSNAPSHOT_JVM_OPTIONS", "-XshowSettings:properties"));
            agent.download(AgentSimulator.builtZip(), version);
            agent.writeRawSettings(version, 0, "");

            CommandResult install = agent.run(Operation.INSTALL, version, Map.of());

            assertTrue(install.stderr().contains("sun.jnu.encoding = UTF-8"), locale + ":\n" + install);
        }
    }

    private AgentSimulator agentWithoutSystemJava() throws IOException {
        return new AgentSimulator(sandbox.resolve("agent"), AgentSimulator.Options.defaults().withEnvironment("PATH", ""));
    }

    private static void replaceBundledJava(Path base, String script) throws IOException {
        executable(base.resolve("runtime/x86_64/bin/java"), script);
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}

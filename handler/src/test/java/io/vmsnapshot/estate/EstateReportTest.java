package io.vmsnapshot.estate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.error.Messages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EstateReportTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path root = fs.getPath("/var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.0");
    private final Path runtime = root.resolve("runtime/x86_64");
    private final Path sys = fs.getPath("/sys");
    private final Path proc = fs.getPath("/proc");
    private final Path run = fs.getPath("/run");
    private final Path etc = fs.getPath("/etc");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    EstateReportTest() throws Exception {
        for (String file : List.of("bin/handle.sh", "bin/x86_64/vmsnapshot-freeze", "lib/vmsnapshot-handler-1.0.0.jar", "runtime/x86_64/bin/java",
                "runtime/x86_64/lib/jspawnhelper", "runtime/x86_64/lib/server/libjvm.so", "runtime/x86_64/lib/modules")) {
            Files.createDirectories(root.resolve(file).getParent());
            Files.writeString(root.resolve(file), file);
        }
        Files.createDirectories(proc.resolve("1"));
        Files.writeString(proc.resolve("1/comm"), "systemd\n");
        Files.createDirectories(etc.resolve("fapolicyd/trust.d"));
    }

    private void fapolicydRuns() throws Exception {
        Files.createDirectories(proc.resolve("812"));
        Files.writeString(proc.resolve("812/comm"), "fapolicyd\n");
    }

    private void selinux(String enforce) throws Exception {
        Files.createDirectories(sys.resolve("fs/selinux"));
        Files.writeString(sys.resolve("fs/selinux/enforce"), enforce);
    }

    private EstateReport report(Path javaHome, Optional<RuntimeRecord> record) {
        return new EstateReport(new EstateReport.Facts("x86_64", root, javaHome, "25.0.1", record),
                new PolicyEngines(sys, proc, run), new FapolicydTrust(etc), Messages.forLocale("en-US"));
    }

    private String render(EstateReport report, boolean expectDenied) {
        assertEquals(expectDenied, report.render(new PrintStream(out, true, StandardCharsets.UTF_8)));
        return out.toString(StandardCharsets.UTF_8);
    }

    private String trustLine(String relative) throws Exception {
        Path file = root.resolve(relative);
        return file + " " + Files.size(file) + " 0123456789abcdef\n";
    }

    @Test
    void check_printsTheMachineTheCLibraryAndWhyTheBundledRuntimeRuns() throws Exception {
        String text = render(report(runtime, Optional.of(new RuntimeRecord("x86_64", "2.31", true, "C.UTF-8", ""))),
                false);

        assertTrue(text.contains("Machine: x86_64, glibc 2.31"), text);
        assertTrue(text.contains("Java: " + runtime + " (25.0.1): the bundled runtime, which starts on this VM"), text);
        assertTrue(text.contains("SELinux: not enabled"), text);
        assertTrue(text.contains("fapolicyd: not running"), text);
    }

    @Test
    void check_onASystemJava_saysWhyTheBundledRuntimeCannotRun() throws Exception {
        String text = render(report(fs.getPath("/usr/lib/jvm/java-17"), Optional.of(new RuntimeRecord("aarch64",
                "2.28", false, "-", "glibc 2.28 on this VM; the bundled runtime needs 2.29"))), false);

        assertTrue(text.contains("not the bundled runtime (glibc 2.28 on this VM; the bundled runtime needs 2.29)"),
                text);
    }

    @Test
    void check_onAnotherJavaThanTheBundledOneThatWouldRun_saysTheHandlerWasStartedByHand() throws Exception {
        String text = render(report(fs.getPath("/usr/lib/jvm/java-21"), Optional.of(new RuntimeRecord("x86_64", "2.31",
                true, "C.UTF-8", ""))), false);

        assertTrue(text.contains("started outside bin/handle.sh"), text);
    }

    @Test
    void check_withoutTheLaunchersRecord_saysSo() throws Exception {
        assertTrue(render(report(runtime, Optional.empty()), false).contains("no state/runtime"));
    }

    @Test
    void check_readsTheSelinuxModeFromTheKernel() throws Exception {
        selinux("1");
        assertTrue(render(report(runtime, Optional.empty()), false).contains("SELinux: enforcing"));
        selinux("0");
        assertTrue(render(report(runtime, Optional.empty()), false).contains("SELinux: permissive"));
    }

    @Test
    void check_whenFapolicydDoesNotTrustThePackage_warnsWithTheCommandThatTrustsIt() throws Exception {
        fapolicydRuns();
        Files.writeString(etc.resolve("fapolicyd/fapolicyd.trust"), "# trusted\n" + trustLine("bin/handle.sh"));

        String text = render(report(runtime, Optional.empty()), true);

        assertTrue(text.contains("WARN  fapolicyd runs and does not trust 5 of the package's files"), text);
        assertTrue(text.contains(root.resolve("bin/x86_64/vmsnapshot-freeze").toString()), text);
        assertTrue(text.contains(runtime.resolve("lib/server/libjvm.so").toString()), text);
        assertFalse(text.contains(runtime.resolve("lib/modules").toString()), text);
        assertTrue(text.contains(root.resolve("lib/vmsnapshot-handler-1.0.0.jar").toString()), text);
        assertTrue(text.contains("fapolicyd-cli --file add " + root.resolve("bin") + "/ && fapolicyd-cli --file add "
                + root.resolve("lib") + "/ && fapolicyd-cli --file add " + runtime + "/ && fapolicyd-cli --update"), text);
    }

    @Test
    void check_whenFapolicydTrustsEveryExecutable_isQuiet() throws Exception {
        fapolicydRuns();
        Files.writeString(etc.resolve("fapolicyd/fapolicyd.trust"), trustLine("bin/handle.sh")
                + trustLine("lib/vmsnapshot-handler-1.0.0.jar"));
        Files.writeString(etc.resolve("fapolicyd/trust.d/vmsnapshot"), trustLine("bin/x86_64/vmsnapshot-freeze")
                + trustLine("runtime/x86_64/bin/java") + trustLine("runtime/x86_64/lib/jspawnhelper")
                + trustLine("runtime/x86_64/lib/server/libjvm.so"));

        assertTrue(render(report(runtime, Optional.empty()), false)
                .contains("fapolicyd: running; it trusts the package's executables"));
    }

    @Test
    void check_countsAFileWhoseSizeChangedAsUntrusted() throws Exception {
        fapolicydRuns();
        Files.writeString(etc.resolve("fapolicyd/fapolicyd.trust"), root.resolve("bin/handle.sh") + " 1 00\n");

        assertEquals(List.of(root.resolve("bin/handle.sh")),
                new FapolicydTrust(etc).untrusted(List.of(root.resolve("bin/handle.sh"))));
    }

    @Test
    void fapolicydIsSeenByItsFifoToo() throws Exception {
        Files.createDirectories(run.resolve("fapolicyd"));
        Files.writeString(run.resolve("fapolicyd/fapolicyd.fifo"), "");

        assertTrue(new PolicyEngines(sys, proc, run).fapolicydRuns());
    }

    @Test
    void runtimeRecord_readsTheLaunchersLine() throws Exception {
        Path file = fs.getPath("/runtime");
        Files.writeString(file, "aarch64 2.28 no - glibc 2.28 on this VM; the bundled runtime needs 2.29\n");

        assertEquals(Optional.of(new RuntimeRecord("aarch64", "2.28", false, "-",
                "glibc 2.28 on this VM; the bundled runtime needs 2.29")), RuntimeRecord.read(file));
        Files.writeString(file, "garbage\n");
        assertEquals(Optional.empty(), RuntimeRecord.read(file));
    }
}

package io.vmsnapshot.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerProcessesTest {
    private static final Path ROOT = Path.of("/var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.9300.0");

    @TempDir
    Path proc;

    private void process(long pid, String... argv) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(dir.resolve("cmdline"), String.join("\0", argv) + "\0");
    }

    private static String[] jvm(Path root, String verb) {
        // As the launcher execs it: the class path is relative to the base dir, the root is named in a property.
        return new String[] {root + "/runtime/bin/java", "-XX:+UseSerialGC", "-XX:SharedArchiveFile=" + root + "/cds/app.jsa",
            "-Dvmsnapshot.home=" + root, "-Djava.io.tmpdir=" + root + "/tmp", "-cp",
            "lib/vmsnapshot-handler-1.0.9300.0.jar:lib/jackson-databind-2.22.3.jar", "io.vmsnapshot.Main", verb, "7"};
    }

    @Test
    void find_namesTheWorkerJvmAndTheLauncherShellOfThisPackage_only() throws IOException {
        process(101, jvm(ROOT, "worker"));
        process(102, "/bin/sh", ROOT + "/bin/handle.sh", "worker", "7");
        process(103, jvm(Path.of(ROOT + "-old"), "worker"));
        process(104, jvm(ROOT, "enable"));
        process(105, "sleep", "worker");
        process(106, jvm(ROOT, "worker"));
        Files.createDirectories(proc.resolve("self"));

        assertEquals(List.of(101L, 102L), WorkerProcesses.find(proc, ROOT, 106).stream().sorted().toList());
    }

    @Test
    void find_skipsAProcessThatExitedWhileItLooked() throws IOException {
        Files.createDirectories(proc.resolve("201"));

        assertEquals(List.of(), WorkerProcesses.find(proc, ROOT, 1));
    }
}

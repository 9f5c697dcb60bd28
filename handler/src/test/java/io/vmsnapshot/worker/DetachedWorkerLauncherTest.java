package io.vmsnapshot.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.process.GroupProcessLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetachedWorkerLauncherTest {
    @TempDir
    Path dir;

    /** util-linux 2.23 (RHEL 7) knows no --fork: this stand-in fails on it as that one does. */
    private Path setsidWithoutFork() throws IOException {
        Path real = GroupProcessLauncher.systemSetsid();
        return executable("setsid", "#!/bin/sh\n"
                + "case \"$1\" in -f|--fork) echo \"setsid: unrecognized option '$1'\" >&2; exit 1 ;; esac\n"
                + "exec " + real + " \"$@\"\n");
    }

    private Path executable(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    @Test
    void theWorkerStartsInASessionOfItsOwn_withASetsidThatHasNoForkOption() throws Exception {
        Path record = dir.resolve("worker.txt");
        // The "launcher": records its arguments, then its session and parent from /proc.
        Path launcher = executable("handle.sh", "echo \"$*\" > " + record + ".tmp\n"
                + "set -- $(cat /proc/$$/stat | sed 's/^.*) //')\n"
                + "echo \"ppid=$2 sid=$4\" >> " + record + ".tmp\n"
                + "mv " + record + ".tmp " + record + "\n");
        new DetachedWorkerLauncher(setsidWithoutFork(), launcher, dir).launch(7);

        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!Files.exists(record) && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        List<String> lines = Files.readAllLines(record);
        assertEquals("worker 7", lines.get(0));
        String sid = lines.get(1).replaceAll(".*sid=", "");
        String mySid = Files.readString(Path.of("/proc/self/stat")).replaceAll("^.*\\) ", "").split(" ")[3];
        assertNotEquals(mySid, sid, "the worker left this process's session");
        String ppid = lines.get(1).replaceAll("ppid=(\\d+).*", "$1");
        assertNotEquals(Long.toString(ProcessHandle.current().pid()), ppid, "the worker is nobody's child here");
        assertTrue(ProcessHandle.current().children().noneMatch(child -> child.isAlive()
                && child.info().command().orElse("").endsWith("sh")), "the intermediate shell is gone");
    }
}

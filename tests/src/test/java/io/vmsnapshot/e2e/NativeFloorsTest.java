package io.vmsnapshot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.agent.AgentSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every native file of the built zip, read by its architecture's binutils objdump (not by the build's own audit), needs
 * at most the glibc the launcher names as its architecture's floor, and sits under the directory of
 * its own architecture: the claim the launcher makes to a VM below the floor is the truth.
 */
class NativeFloorsTest {
    private static final Pattern GLIBC = Pattern.compile("GLIBC_(\\d+)\\.(\\d+)");

    @TempDir
    static Path sandbox;
    private static Path baseDir;

    @BeforeAll
    static void unpackEverything() throws Exception {
        baseDir = AgentSimulator.inSandbox(sandbox).download(AgentSimulator.builtZip(), AgentSimulator.builtVersion());
        Path aarch64 = Files.createDirectories(baseDir.resolve("runtime/aarch64"));
        Exec.Result untar = Exec.run(baseDir, List.of("tar", "-xJf", "runtime/aarch64.tar.xz", "-C", aarch64.toString()));
        assertEquals(0, untar.exitCode(), untar.toString());
    }

    @Test
    void everyX86File_needsAtMostTheX86Floor() throws Exception {
        assertEquals("2.17", floor("X86_64"));
        assertAtMost("x86_64", "x86-64", floor("X86_64"));
    }

    @Test
    void everyAarch64File_needsAtMostTheAarch64Floor() throws Exception {
        assertEquals("2.29", floor("AARCH64"));
        assertAtMost("aarch64", "littleaarch64", floor("AARCH64"));
    }

    @Test
    void theFreezeHelpers_areStatic_soTheyHaveNoFloorAtAll() throws Exception {
        for (String arch : List.of("x86_64", "aarch64")) {
            Exec.Result file = Exec.run(baseDir, List.of("file", "-b", "bin/" + arch + "/vmsnapshot-freeze"));
            assertTrue(file.stdout().contains("statically linked"), arch + ": " + file.stdout());
        }
    }

    private static void assertAtMost(String arch, String objdumpFormat, String floor) throws Exception {
        List<Path> elves = new ArrayList<>();
        for (String dir : List.of("runtime/" + arch, "bin/" + arch)) {
            try (Stream<Path> files = Files.walk(baseDir.resolve(dir))) {
                files.filter(Files::isRegularFile).filter(NativeFloorsTest::isElf).forEach(elves::add);
            }
        }
        assertTrue(elves.size() >= 10, arch + " has its runtime and helper: " + elves);
        for (Path elf : elves) {
            Exec.Result dump = Exec.run(baseDir, List.of(arch + "-linux-gnu-objdump", "-p", elf.toString()));
            assertEquals(0, dump.exitCode(), dump.toString());
            assertTrue(dump.stdout().contains("file format elf64-" + objdumpFormat), elf + " is " + arch + ":\n"
                    + dump.stdout().lines().limit(3).toList());
            Matcher versions = GLIBC.matcher(dump.stdout());
            while (versions.find()) {
                String needed = versions.group(1) + "." + versions.group(2);
                assertFalse(above(needed, floor), elf + " needs GLIBC_" + needed + ", above the floor " + floor);
            }
        }
    }

    /** The floor as the launcher states it to a VM below it. */
    private static String floor(String arch) throws IOException {
        Matcher line = Pattern.compile("readonly GLIBC_FLOOR_" + arch + "='([0-9.]+)'")
                .matcher(Files.readString(baseDir.resolve("bin/handle.sh")));
        assertTrue(line.find(), "bin/handle.sh names the " + arch + " floor");
        return line.group(1);
    }

    private static boolean above(String version, String floor) {
        String[] v = version.split("\\.");
        String[] f = floor.split("\\.");
        int major = Integer.compare(Integer.parseInt(v[0]), Integer.parseInt(f[0]));
        return major > 0 || (major == 0 && Integer.parseInt(v[1]) > Integer.parseInt(f[1]));
    }

    private static boolean isElf(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }
}

package io.vmsnapshot.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.prepost.Finding;
import io.vmsnapshot.prepost.Precheck;
import io.vmsnapshot.process.GroupProcessLauncher;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The built freeze helper's {@code --writers} mode (handler/target/native/&lt;arch&gt;/, made by the
 * build before the tests) against real files: what the kernel's read lease answers, and the plugin
 * host asking it before /proc.
 */
class WritersHelperTest {
    private static final Path HELPER = Path.of("target/native",
            System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch"),
            "vmsnapshot-freeze").toAbsolutePath();

    private final Fixture fx = new Fixture();
    private final Path script = fx.script("pre.sh", "exit 0");
    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process child : children) {
            child.destroyForcibly().waitFor();
        }
        fx.close();
    }

    private static List<String> ask(Path... paths) throws Exception {
        assertTrue(Files.isExecutable(HELPER), "the build makes " + HELPER + " before the tests");
        List<String> argv = new ArrayList<>(List.of(HELPER.toString(), "--writers"));
        for (Path path : paths) {
            argv.add(path.toString());
        }
        Process helper = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        String out = new String(helper.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, helper.waitFor(), out);
        return out.lines().toList();
    }

    private static String devIno(Path file) throws IOException {
        Stat stat = Stat.of(file);
        return Long.toUnsignedString(stat.device()) + " " + Long.toUnsignedString(stat.inode());
    }

    private Process holdOpenForWriting(Path file) throws Exception {
        Process writer = new ProcessBuilder("/bin/sh", "-c", "exec 3>>" + file + "; echo open; exec sleep 30").start();
        children.add(writer);
        assertEquals("open", new String(writer.getInputStream().readNBytes(4), StandardCharsets.UTF_8));
        return writer;
    }

    private static LeaseProbe probe() {
        return new LeaseProbe(HELPER, LeaseProbe.TIMEOUT);
    }

    @Test
    void aFileHeldOpenForWritingByAnotherProcessIsAWriterAndNoneOnceThatProcessIsGone() throws Exception {
        OpenWriters.Target target = OpenWriters.Target.of(script, Stat.of(script));
        Process writer = holdOpenForWriting(script);

        assertEquals(List.of("writer " + devIno(script)), ask(script));
        assertEquals(Set.of(), probe().unwritten(List.of(target)));

        writer.destroyForcibly().waitFor();

        assertEquals(List.of("none " + devIno(script)), ask(script));
        assertEquals(Set.of(target), probe().unwritten(List.of(target)));
    }

    @Test
    void aSharedWritableMappingWhoseDescriptorIsClosedIsAWriter() throws Exception {
        Path mapped = fx.box.file("mapped", "0123456789", "rw-------");
        MappedByteBuffer mapping;
        try (FileChannel channel = new RandomAccessFile(mapped.toFile(), "rw").getChannel()) {
            mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, 10);
        }

        assertEquals(List.of("writer " + devIno(mapped)), ask(mapped));
        mapping.put(0, (byte) '9'); // still mapped, and still writes the file
    }

    @Test
    void aSymbolicLinkADirectoryAndAMissingFileAreNeverNone() throws Exception {
        Path link = fx.box.root().resolve("link.sh");
        Files.createSymbolicLink(link, script);

        assertEquals(List.of("unknown - - ELOOP", "unknown - - ENOTREG", "unknown - - ENOENT", "none " + devIno(script)),
                ask(link, fx.box.root(), fx.box.root().resolve("absent"), script));
        assertEquals(Set.of(), probe().unwritten(List.of(OpenWriters.Target.of(link, Stat.of(link)))));
    }

    @Test
    void aScriptHeldOpenForWritingIsRefusedNamingTheWriterWhenTheKernelIsAskedFirst() throws Exception {
        fx.pluginConfig(script.toString(), "", "");
        Process writer = holdOpenForWriting(script);

        Precheck precheck = fx.hostAskingTheKernel(GroupProcessLauncher.system(), HELPER).precheck();

        Finding finding = precheck.findings().get(0);
        assertEquals(ErrorCode.PRE_SCRIPT_PERMISSION, finding.error());
        assertTrue(finding.detail().contains("held open for writing by [pid " + writer.pid()), finding.detail());
    }

    @Test
    void aScriptNobodyWritesPassesWhenTheKernelIsAskedFirst() throws Exception {
        fx.pluginConfig(script.toString(), "", "");

        Precheck precheck = fx.hostAskingTheKernel(GroupProcessLauncher.system(), HELPER).precheck();

        assertEquals(List.of(), precheck.findings());
        assertTrue(precheck.runsScripts());
    }
}

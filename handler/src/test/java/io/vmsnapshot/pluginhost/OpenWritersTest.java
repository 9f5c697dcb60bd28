package io.vmsnapshot.pluginhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.testing.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who holds a script open, read from a fake /proc whose fd entries are links to real files. */
class OpenWritersTest {
    private static final long SELF = 100;

    private final Sandbox box = Sandbox.create();
    private final Path proc = box.dir("proc");
    private final Path script = box.file("scripts/pre.sh", "#!/bin/sh\n", "rwx------");
    private final Path other = box.file("scripts/other", "", "rw-------");

    @AfterEach
    void cleanUp() {
        box.close();
    }

    private void descriptor(long pid, int fd, Path file, String flags) throws Exception {
        Path process = box.dir("proc/" + pid);
        Files.writeString(process.resolve("comm"), "proc" + pid + "\n");
        Files.createDirectories(process.resolve("fd"));
        Files.createDirectories(process.resolve("fdinfo"));
        Files.createSymbolicLink(process.resolve("fd/" + fd), file);
        Files.writeString(process.resolve("fdinfo/" + fd), "pos:\t0\nflags:\t" + flags + "\nmnt_id:\t25\n");
    }

    private OpenWriters.Target target() throws Exception {
        return OpenWriters.Target.of(script, Stat.of(script));
    }

    private List<OpenWriters.Writer> writers() throws Exception {
        return new OpenWriters(proc, SELF).writers(List.of(target())).get(target());
    }

    @Test
    void aDescriptorOpenForWritingOrReadingAndWritingIsAWriter() throws Exception {
        descriptor(200, 3, script, "0100001");
        descriptor(300, 7, script, "02100002");

        List<OpenWriters.Writer> writers = writers();

        assertEquals(List.of(new OpenWriters.Writer(200, "proc200", "descriptor 3 open for writing"),
                new OpenWriters.Writer(300, "proc300", "descriptor 7 open for writing")),
                writers.stream().sorted((a, b) -> Long.compare(a.pid(), b.pid())).toList());
    }

    @Test
    void readOnlyDescriptorsAndOtherFilesAreNoWriters() throws Exception {
        descriptor(200, 3, script, "0100000");
        descriptor(300, 4, other, "0100001");

        assertEquals(List.of(), writers());
    }

    @Test
    void aDescriptorWhoseFlagsCannotBeReadCountsAsAWriter() throws Exception {
        descriptor(200, 3, script, "garbage");

        assertEquals(1, writers().size());
    }

    @Test
    void thisProcessHoldingTheFileIsNotAWriterButIsReported() throws Exception {
        descriptor(SELF, 5, script, "0100002");
        descriptor(200, 3, other, "0100000");

        assertTrue(new OpenWriters(proc, SELF).heldBySelf(target()));
        assertEquals(List.of(), writers());
    }

    @Test
    void anotherProcessHoldingTheFileIsNoProofForThisOne() throws Exception {
        descriptor(SELF, 5, other, "0100000");
        descriptor(200, 3, script, "0100000");

        assertFalse(new OpenWriters(proc, SELF).heldBySelf(target()));
    }

    @Test
    void aSharedWritableMappingIsAWriterEvenWithoutADescriptor() throws Exception {
        descriptor(200, 3, other, "0100000");
        long inode = Stat.of(script).inode();
        Files.writeString(proc.resolve("200/maps"), "7f00-7f01 rw-s 00000000 08:01 " + inode + "    " + script
                + "\n7f02-7f03 r--s 00000000 08:01 " + inode + "    " + script + "\n");

        List<OpenWriters.Writer> writers = writers();

        assertEquals(1, writers.size());
        assertTrue(writers.get(0).how().startsWith("shared writable mapping"), writers.toString());
    }
}

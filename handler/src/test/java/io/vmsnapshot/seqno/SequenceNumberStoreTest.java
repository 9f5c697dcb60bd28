package io.vmsnapshot.seqno;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SequenceNumberStoreTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path mrseq = fs.getPath("/base/mrseq");
    private final SequenceNumberStore store = new SequenceNumberStore(mrseq);

    @BeforeEach
    void createBaseFolder() throws IOException {
        Files.createDirectories(mrseq.getParent());
    }

    @AfterEach
    void closeFileSystem() throws IOException {
        fs.close();
    }

    @Test
    void read_whenNothingWritten_isEmpty() {
        assertEquals(OptionalInt.empty(), store.read());
    }

    @Test
    void write_thenRead_returnsTheNumberAsPlainText() throws Exception {
        store.write(42);

        assertEquals(OptionalInt.of(42), store.read());
        assertEquals("42", Files.readString(mrseq));
    }

    @Test
    void write_replacesThePreviousNumberWithoutLeavingTempFiles() throws Exception {
        store.write(1);
        store.write(2);

        assertEquals(OptionalInt.of(2), store.read());
        try (var files = Files.list(mrseq.getParent())) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void read_upstreamFileWithNewline_isTheNumber() throws Exception {
        Files.writeString(mrseq, "7\n");

        assertEquals(OptionalInt.of(7), store.read());
    }

    @Test
    void read_restoreMarkerMinusOne_isMinusOne() throws Exception {
        Files.writeString(mrseq, "-1");

        assertEquals(OptionalInt.of(-1), store.read());
    }

    @Test
    void read_garbage_isEmpty() throws Exception {
        Files.writeString(mrseq, "seven");

        assertEquals(OptionalInt.empty(), store.read());
    }

    @Test
    void read_invalidUtf8_isEmpty() throws Exception {
        Files.write(mrseq, new byte[] {(byte) 0xff, (byte) 0xfe, '1'});

        assertEquals(OptionalInt.empty(), store.read());
    }

    @Test
    void read_whenMrseqIsAFolder_isEmpty() throws Exception {
        Files.createDirectory(mrseq);

        assertEquals(OptionalInt.empty(), store.read());
    }
}

package io.vmsnapshot.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogSinkTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path log = fs.getPath("/var/log/azure/ext/extension.log");
    /** What each line starts with: the prefix, then the time the sink wrote it (a fixed clock here). */
    private static final String P = "pid=42 verb=worker 2026-12-08T02:13:00.436Z ";
    private final LogSink sink = new LogSink(log, "pid=42 verb=worker ", new Redactor(),
            Clock.fixed(Instant.parse("2026-12-08T02:13:00.436Z"), ZoneOffset.UTC));

    @AfterEach
    void tearDown() throws IOException {
        fs.close();
    }

    private List<String> fileLines() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    private void write(String text) throws IOException {
        sink.write(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void write_appendsEachCompleteLineWithThePrefixCreatingTheFolder() throws IOException {
        write("first event\nsecond event\n");
        assertEquals(List.of(P + "first event", P + "second event"), fileLines());
    }

    @Test
    void write_keepsAPartialLineUntilItsNewline() throws IOException {
        write("half");
        assertEquals(List.of(), fileLines());
        write(" and the rest\n");
        assertEquals(List.of(P + "half and the rest"), fileLines());
    }

    @Test
    void write_assemblesUtf8SplitAcrossWrites() throws IOException {
        byte[] bytes = "冻结 ok\n".getBytes(StandardCharsets.UTF_8);
        sink.write(bytes, 0, 2);
        sink.write(bytes, 2, bytes.length - 2);
        assertEquals(List.of(P + "冻结 ok"), fileLines());
    }

    @Test
    void write_stripsCarriageReturns() throws IOException {
        write("windows line\r\n");
        assertEquals(List.of(P + "windows line"), fileLines());
    }

    @Test
    void write_redactsSasTokensBeforeTheyReachTheFileOrTheUploadBuffer() throws IOException {
        write("upload https://a.blob.core.windows.net/c/b?sv=1&sig=topsecret\n");
        assertFalse(fileLines().get(0).contains("topsecret"));
        assertFalse(sink.linesOfThisProcess().get(0).contains("topsecret"));
    }

    @Test
    void hold_keepsLinesInMemoryUntilReleaseThenWritesThemInOrder() throws IOException {
        write("before\n");
        sink.hold();
        write("during one\nduring two\n");
        sink.flush();
        assertEquals(List.of(P + "before"), fileLines(), "nothing touches the disk while held");
        sink.release();
        write("after\n");
        assertEquals(List.of(P + "before", P + "during one",
                P + "during two", P + "after"), fileLines());
    }

    @Test
    void hold_beforeTheFirstLine_doesNotEvenCreateTheFile() throws IOException {
        sink.hold();
        write("frozen\n");
        assertFalse(Files.exists(log.getParent()));
        sink.release();
        assertTrue(Files.exists(log));
    }

    @Test
    void hold_isBoundedAndReportsHowManyLinesItDropped() throws IOException {
        sink.hold();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20_005; i++) {
            lines.append("l").append(i).append('\n');
        }
        write(lines.toString());
        sink.release();
        List<String> written = fileLines();
        assertEquals(20_001, written.size());
        assertEquals(P + "l19999", written.get(19_999));
        assertEquals(P + "event=log-lines-dropped count=5", written.get(20_000));
    }

    @Test
    void linesOfThisProcess_keepsTheMostRecentLinesWhenThereAreTooMany() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20_010; i++) {
            lines.append("l").append(i).append('\n');
        }
        write(lines.toString());
        write("backup-verdict status=success\n");
        List<String> kept = sink.linesOfThisProcess();
        assertEquals(20_000, kept.size());
        assertEquals(P + "backup-verdict status=success", kept.get(kept.size() - 1),
                "the end of the log (the verdict) is what the logs blob must not lose");
    }

    @Test
    void close_flushesAPendingPartialLineAndReleasesAHold() throws IOException {
        sink.hold();
        write("held\nunterminated");
        sink.close();
        assertEquals(List.of(P + "held", P + "unterminated"), fileLines());
    }

    @Test
    void printStream_overTheSinkWritesWhatSlf4jSimpleWould() throws IOException {
        try (PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8)) {
            out.println("INFO Handler - command-start verb=enable");
        }
        assertEquals(List.of(P + "INFO Handler - command-start verb=enable"), fileLines());
    }

    /** The heartbeat's write is in flight when the freeze window begins: the hold waits for it to end. */
    @Test
    void hold_waitsForAWriteOfUnlessHeldThatIsInFlight() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch finishWrite = new CountDownLatch(1);
        Thread heartbeat = new Thread(() -> sink.unlessHeld(() -> {
            order.add("write-started");
            writing.countDown();
            await(finishWrite);
            order.add("write-ended");
        }));
        heartbeat.start();
        writing.await();
        Thread freeze = new Thread(() -> {
            sink.hold();
            order.add("held");
        });
        freeze.start();
        // Deterministic: the hold either parks on the window lock or (wrongly) returns at once.
        while (freeze.getState() != Thread.State.BLOCKED && freeze.getState() != Thread.State.TERMINATED) {
            Thread.onSpinWait();
        }
        Thread.State state = freeze.getState();
        finishWrite.countDown();
        heartbeat.join();
        freeze.join();

        assertEquals(Thread.State.BLOCKED, state, "the hold did not wait for the write");
        assertEquals(List.of("write-started", "write-ended", "held"), order);
    }

    @Test
    void unlessHeld_whileHeld_startsNoWrite() throws Exception {
        sink.hold();
        List<String> writes = new CopyOnWriteArrayList<>();

        assertFalse(sink.unlessHeld(() -> writes.add("beat")));
        sink.release();
        assertTrue(sink.unlessHeld(() -> writes.add("beat")));

        assertEquals(List.of("beat"), writes, "one write, after the release");
    }

    /**
     * Another thread's log line is not held up by a heartbeat write in flight: that write does not
     * hold the sink's monitor (a line reaches it through System.err's lock, which the other thread
     * may hold while it waits for the monitor, and the write may itself log: a deadlock).
     */
    @Test
    void unlessHeld_aWriteInFlightDoesNotBlockOtherThreadsLogLines() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch finishWrite = new CountDownLatch(1);
        Thread heartbeat = new Thread(() -> sink.unlessHeld(() -> {
            writing.countDown();
            await(finishWrite);
        }));
        heartbeat.start();
        writing.await();
        Thread logger = new Thread(() -> {
            try {
                write("backup-event\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        logger.start();
        // Not the first BLOCKED state seen: class loading and other monitors block for a moment too.
        // Ten seconds is no performance bound; a line that waits for the write never ends at all.
        logger.join(10_000);
        boolean lineWritten = !logger.isAlive();
        finishWrite.countDown();
        heartbeat.join();
        logger.join();

        assertTrue(lineWritten, "the log line waited for the heartbeat write");
        assertEquals(List.of(P + "backup-event"), fileLines());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

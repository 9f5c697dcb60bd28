package io.vmsnapshot.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingLogFileTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path log = fs.getPath("/var/log/azure/ext/extension.log");

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    @Test
    void aLineThatWouldPassTheLimitFirstMovesTheLogToGenerationOne() throws IOException {
        try (RotatingLogFile file = new RotatingLogFile(log, 20, 3)) {
            file.append(line("0123456789"));
            file.append(line("abcdefgh"));
            file.append(line("next"));

            assertEquals(List.of("0123456789", "abcdefgh"), lines(file.generation(1)));
            assertEquals(List.of("next"), lines(log));
        }
    }

    @Test
    void theOldestGenerationIsDroppedAndTheOthersShiftUp() throws IOException {
        try (RotatingLogFile file = new RotatingLogFile(log, 5, 2)) {
            for (String text : List.of("one", "two", "three", "four")) {
                file.append(line(text));
            }

            assertEquals(List.of("four"), lines(log));
            assertEquals(List.of("three"), lines(file.generation(1)));
            assertEquals(List.of("two"), lines(file.generation(2)));
            assertFalse(Files.exists(file.generation(3)));
        }
    }

    @Test
    void aLineLongerThanTheLimitIsStillWritten() throws IOException {
        try (RotatingLogFile file = new RotatingLogFile(log, 4, 1)) {
            file.append(line("a long line"));

            assertEquals(List.of("a long line"), lines(log));
        }
    }

    @Test
    void afterAnotherProcessRotated_theNextLineGoesToTheNewFileNotTheOldGeneration() throws IOException {
        try (RotatingLogFile first = new RotatingLogFile(log, 12, 3);
             RotatingLogFile second = new RotatingLogFile(log, 12, 3)) {
            first.append(line("first-1"));
            second.append(line("second-1"));
            first.append(line("first-2"));

            assertEquals(List.of("first-1"), lines(first.generation(2)));
            assertEquals(List.of("second-1"), lines(first.generation(1)));
            assertEquals(List.of("first-2"), lines(log));
        }
    }

    @Test
    void theDefaultsAreTenMebibytesAndThreeGenerations() {
        assertEquals(10L * 1024 * 1024, RotatingLogFile.MAX_BYTES);
        assertEquals(3, RotatingLogFile.GENERATIONS);
    }

    @Test
    void whileHeld_nothingIsWrittenNorRotated_andTheLogsBlobKeepsEveryLine() throws IOException {
        RotatingLogFile file = new RotatingLogFile(log, 64, 20);
        LogSink sink = new LogSink(file, "p ", new Redactor(), Clock.systemUTC());
        PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8);
        out.println("before the freeze, long enough to fill most of the file");
        sink.hold();
        for (int n = 0; n < 5; n++) {
            out.println("inside the window " + n);
        }

        assertFalse(Files.exists(file.generation(1)));
        assertEquals(1, lines(log).size());

        sink.release();
        for (int n = 0; n < 5; n++) {
            out.println("after the thaw " + n);
        }
        sink.close();

        assertTrue(Files.exists(file.generation(1)));
        assertEquals(11, sink.linesOfThisProcess().size());
        List<String> onDisk = new ArrayList<>();
        for (int n = 20; n >= 1; n--) {
            onDisk.addAll(lines(file.generation(n)));
        }
        onDisk.addAll(lines(log));
        assertEquals(sink.linesOfThisProcess(), onDisk);
    }

    /**
     * Three JVMs append at once through twenty-odd rotations: every line is in exactly one file, and
     * no file grows past the limit by more than the lines of the other writers.
     */
    @Test
    void concurrentProcessesLoseNoLineAndWriteNoneTwice(@TempDir Path dir) throws Exception {
        Path realLog = dir.resolve("extension.log");
        Path go = dir.resolve("go");
        int each = 1500;
        int generations = 200;
        List<Process> writers = new ArrayList<>();
        for (String prefix : List.of("enable", "worker", "check")) {
            writers.add(writer(realLog, prefix, each, go, 16 * 1024, generations));
        }
        for (Process writer : writers) {
            BufferedReader ready = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("ready", ready.readLine());
        }
        Files.createFile(go);
        for (Process writer : writers) {
            assertTrue(writer.waitFor(120, TimeUnit.SECONDS), "a writer did not finish");
            assertEquals(0, writer.exitValue(), new String(writer.getErrorStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }

        RotatingLogFile file = new RotatingLogFile(realLog, 16 * 1024, generations);
        Map<String, Integer> seen = new HashMap<>();
        int files = 0;
        for (int n = generations; n >= 0; n--) {
            Path path = n == 0 ? realLog : file.generation(n);
            if (Files.exists(path)) {
                files++;
                // Appends share the lock, so each of the other writers may add one line past the check.
                assertTrue(Files.size(path) <= 16 * 1024 + 2 * 80, path + " is " + Files.size(path) + " bytes");
                for (String text : lines(path)) {
                    seen.merge(text.substring(0, text.indexOf(' ')), 1, Integer::sum);
                }
            }
        }
        assertTrue(files > 10, "only " + files + " files: the test did not rotate enough");
        assertEquals(3 * each, seen.size());
        assertTrue(seen.values().stream().allMatch(count -> count == 1), "a line was written twice");
    }

    private static Process writer(Path log, String prefix, int count, Path go, long maxBytes, int generations)
            throws IOException {
        return new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), RotatingLogWriterMain.class.getName(),
                log.toString(), prefix, Integer.toString(count), go.toString(), Long.toString(maxBytes),
                Integer.toString(generations)).start();
    }
}

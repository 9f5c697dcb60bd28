package io.vmsnapshot.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.status.StatusType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskRegistryTest {
    /** 4 x 25 = the 100 tasks the registry keeps: none may be missing. */
    private static final int WRITERS = 4;
    private static final int PUTS_EACH = 25;

    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final Path file = fs.getPath("/base/state/tasks.json");
    private final TaskRegistry registry = new TaskRegistry(file);

    @AfterEach
    void tearDown() throws IOException {
        fs.close();
    }

    private static TaskRecord record(String taskId, int seq) {
        return new TaskRecord(taskId, seq, StatusType.SUCCESS, 1, "Enable Succeeded.", "zh-CN", 1_000L + seq);
    }

    @Test
    void readAll_withoutAFile_isEmpty() {
        assertEquals(List.of(), registry.readAll());
    }

    @Test
    void put_thenFind_returnsEveryField() throws IOException {
        TaskRecord record = new TaskRecord("t-1", 3, StatusType.ERROR, 300, "Pre-script failed", "zh-CN", 1234L);
        registry.put(record);

        assertEquals(Optional.of(record), new TaskRegistry(file).find("t-1"));
        assertEquals(Optional.empty(), registry.find("t-2"));
    }

    @Test
    void readAll_readsTheFileAnEarlierVersionWrote_ignoringFieldsItDoesNotKnow() throws IOException {
        // What data binding of TaskRecord wrote before the registry switched to the tree model:
        // an update carries this file over from the old version.
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[ {\n  \"taskId\" : \"t-1\",\n  \"sequenceNumber\" : 3,\n  \"status\" : \"ERROR\",\n"
                + "  \"code\" : 300,\n  \"message\" : \"Pre-script failed\",\n  \"locale\" : \"zh-CN\",\n"
                + "  \"updatedEpochMillis\" : 1234,\n  \"addedLater\" : true\n} ]");

        assertEquals(List.of(new TaskRecord("t-1", 3, StatusType.ERROR, 300, "Pre-script failed", "zh-CN", 1234L)),
                registry.readAll());
    }

    @Test
    void readAll_ofARecordWithAnUnknownStatus_readsAsEmptyAndTheNextPutRewritesIt() throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[{\"taskId\":\"t-1\",\"status\":\"PAUSED\",\"message\":\"\"}]");

        assertEquals(List.of(), registry.readAll());
        registry.put(record("t-2", 2));
        assertEquals(List.of(record("t-2", 2)), registry.readAll());
    }

    @Test
    void put_ofAKnownTask_replacesItAndMovesItToTheEnd() throws IOException {
        registry.put(record("a", 1));
        registry.put(record("b", 2));
        registry.put(record("a", 3));

        assertEquals(List.of(record("b", 2), record("a", 3)), registry.readAll());
    }

    @Test
    void put_keepsTheNewest100() throws IOException {
        for (int i = 0; i < 105; i++) {
            registry.put(record("t-" + i, i));
        }

        List<TaskRecord> all = registry.readAll();
        assertEquals(100, all.size());
        assertEquals("t-5", all.get(0).taskId());
        assertEquals("t-104", all.get(99).taskId());
        assertEquals(Optional.empty(), registry.find("t-4"));
    }

    @Test
    void readAll_ofACorruptFile_isEmptyAndTheNextPutRewritesIt() throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[{\"taskId\": tru");

        assertEquals(List.of(), registry.readAll());
        registry.put(record("a", 1));
        assertEquals(List.of(record("a", 1)), registry.readAll());
    }

    @Test
    void readAll_ofAnotherShape_isEmpty() throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"taskId\":\"a\"}");
        assertEquals(List.of(), registry.readAll());
        Files.writeString(file, "[{\"sequenceNumber\":1}]");
        assertEquals(List.of(), registry.readAll(), "a record without its required fields is no record");
    }

    @Test
    void finished_isTrueOnlyForTerminalStatuses() {
        assertTrue(record("a", 1).finished());
        assertTrue(new TaskRecord("a", 1, StatusType.ERROR, 2, "", null, 0).finished());
        assertEquals(false, new TaskRecord("a", 1, StatusType.TRANSITIONING, 4, "", null, 0).finished());
    }

    /**
     * Separate JVMs, as enable and the worker are, each putting its own tasks at the same moment:
     * without the lock most runs lose some of them (read-modify-write). Passing proves no update
     * was lost in this run's interleavings, not in every possible one.
     */
    @Test
    void put_fromSeveralProcessesAtOnce_losesNoUpdate(@TempDir Path dir) throws Exception {
        Path tasks = dir.resolve("state/tasks.json");
        Path go = dir.resolve("go");
        List<Process> writers = new ArrayList<>();
        try {
            for (int i = 0; i < WRITERS; i++) {
                writers.add(writer(tasks, "p" + i, go));
            }
            for (Process writer : writers) {
                String line = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                assertEquals("ready", line);
            }
            Files.createFile(go);
            for (Process writer : writers) {
                assertTrue(writer.waitFor(120, TimeUnit.SECONDS), "a writer did not finish");
                assertEquals(0, writer.exitValue(), new String(writer.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } finally {
            writers.forEach(Process::destroyForcibly);
        }

        List<String> ids = new TaskRegistry(tasks).readAll().stream().map(TaskRecord::taskId).sorted().toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            for (int n = 0; n < PUTS_EACH; n++) {
                expected.add("p" + i + "-" + n);
            }
        }
        assertEquals(expected.stream().sorted().toList(), ids);
    }

    /** Threads of one JVM use separate channels, which Java does not let wait for each other by itself. */
    @Test
    void put_fromSeveralThreadsAtOnce_losesNoUpdate(@TempDir Path dir) throws Exception {
        Path tasks = dir.resolve("tasks.json");
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                String prefix = "t" + i;
                done.add(pool.submit(() -> {
                    go.await();
                    TaskRegistry own = new TaskRegistry(tasks);
                    for (int n = 0; n < PUTS_EACH; n++) {
                        own.put(record(prefix + "-" + n, n));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(WRITERS * PUTS_EACH, new TaskRegistry(tasks).readAll().size());
    }

    private static Process writer(Path tasks, String prefix, Path go) throws IOException {
        return new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), TaskRegistryWriterMain.class.getName(),
                tasks.toString(), prefix, Integer.toString(PUTS_EACH), go.toString()).start();
    }
}

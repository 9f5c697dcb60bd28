package io.vmsnapshot.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.status.StatusType;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskRegistryTest {
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
}

package io.vmsnapshot.lifecycle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vmsnapshot.status.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The processed task ids and their outcomes ({@code state/tasks.json}), newest last. Bounded, so a
 * VM backed up daily for years keeps a small file; 100 entries is months of history, far more
 * than the service's retries of one task span.
 */
public final class TaskRegistry {
    private static final int KEPT = 100;

    private final Path file;
    private final ObjectMapper json = JsonMapper.builder().build();

    public TaskRegistry(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    public Optional<TaskRecord> find(String taskId) {
        return readAll().stream().filter(r -> r.taskId().equals(taskId)).reduce((first, second) -> second);
    }

    public void put(TaskRecord record) throws IOException {
        List<TaskRecord> records = new ArrayList<>(readAll());
        records.removeIf(r -> r.taskId().equals(record.taskId()));
        records.add(record);
        List<TaskRecord> kept = records.subList(Math.max(0, records.size() - KEPT), records.size());
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, TaskRecordsJson.write(json, kept));
    }

    /** A corrupt registry must not stop backups: it reads as empty and is rewritten on the next put. */
    public List<TaskRecord> readAll() {
        try {
            return TaskRecordsJson.read(json, Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}

package io.vmsnapshot.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmsnapshot.json.JsonText;
import io.vmsnapshot.json.MalformedJsonException;
import io.vmsnapshot.status.StatusType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code state/tasks.json} to and from {@link TaskRecord}s through Jackson's tree model. Data
 * binding would do the same in one line, but its first use introspects the record (reflection,
 * annotation proxies): some 10 ms of every enable, which reads and writes this file. The format is
 * the one data binding wrote (component names, the status enum's name), so a registry carried over
 * by an update from an older version reads the same.
 */
final class TaskRecordsJson {
    private TaskRecordsJson() {
    }

    static byte[] write(List<TaskRecord> records) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (TaskRecord record : records) {
            ObjectNode node = array.addObject();
            node.put("taskId", record.taskId());
            node.put("sequenceNumber", record.sequenceNumber());
            node.put("status", record.status().name());
            node.put("code", record.code());
            node.put("message", record.message());
            node.put("locale", record.locale());
            node.put("updatedEpochMillis", record.updatedEpochMillis());
        }
        return JsonText.writePretty(array);
    }

    /** @throws IOException when the content is not a list of task records; nothing is half-read */
    static List<TaskRecord> read(byte[] content) throws IOException {
        JsonNode root;
        try {
            root = JsonText.parse(content);
        } catch (MalformedJsonException e) {
            throw new IOException("not JSON: " + e.getMessage(), e);
        }
        if (!root.isArray()) {
            throw new IOException("not a JSON array");
        }
        List<TaskRecord> records = new ArrayList<>(root.size());
        for (JsonNode node : root) {
            records.add(new TaskRecord(text(node, "taskId"), node.path("sequenceNumber").asInt(),
                    status(node), node.path("code").asInt(), text(node, "message"),
                    node.hasNonNull("locale") ? node.get("locale").asText() : null,
                    node.path("updatedEpochMillis").asLong()));
        }
        return records;
    }

    private static String text(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IOException("task record without a text '" + field + "'");
        }
        return value.asText();
    }

    private static StatusType status(JsonNode node) throws IOException {
        String name = text(node, "status");
        for (StatusType type : StatusType.values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        throw new IOException("task record with an unknown status '" + name + "'");
    }
}

package io.vmsnapshot.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmsnapshot.json.JsonText;
import io.vmsnapshot.json.MalformedJsonException;
import io.vmsnapshot.json.RecordFields;
import io.vmsnapshot.process.ProcessTrace;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code journal.json} to and from {@link JournalRecord} through Jackson's tree model, not data
 * binding, whose first use costs every start (which reads the journal) more than the rest of its
 * work. The format is the one data binding wrote, and so are its rules: the component names in
 * their order, unknown fields ignored (a journal a newer version wrote still tells what it can),
 * absent or null numbers 0, absent {@code scripts} none, numbers in strings read. A journal left by
 * the version before an update reads the same.
 */
final class JournalRecordJson {
    private JournalRecordJson() {
    }

    static byte[] write(JournalRecord record) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("sequenceNumber", record.sequenceNumber());
        node.put("taskId", record.taskId());
        node.put("locale", record.locale());
        node.put("workerPid", record.workerPid());
        node.put("startedAt", record.startedAt());
        ArrayNode events = node.putArray("events");
        record.events().forEach(events::add);
        ArrayNode scripts = node.putArray("scripts");
        for (ProcessTrace trace : record.scripts()) {
            scripts.addObject()
                    .put("marker", trace.marker())
                    .put("pid", trace.pid())
                    .put("startTicks", trace.startTicks());
        }
        return JsonText.write(node);
    }

    /**
     * @throws MalformedJsonException when the content is not JSON
     * @throws RuntimeException       when it is JSON but no journal record (a field missing or of the wrong shape)
     */
    static JournalRecord read(byte[] content) throws MalformedJsonException {
        JsonNode root = object(JsonText.parse(content), "the journal");
        List<ProcessTrace> scripts = new ArrayList<>();
        for (JsonNode item : list(root, "scripts", false)) {
            JsonNode script = object(item, "an item of 'scripts'");
            scripts.add(new ProcessTrace(text(script, "marker"), number(script, "pid"), number(script, "startTicks")));
        }
        List<String> events = new ArrayList<>();
        for (JsonNode event : list(root, "events", true)) {
            String text = RecordFields.text(event, "events");
            if (text == null) {
                throw new IllegalArgumentException("a null in 'events'");
            }
            events.add(text);
        }
        long sequenceNumber = number(root, "sequenceNumber");
        if (sequenceNumber != (int) sequenceNumber) {
            throw new IllegalArgumentException("field 'sequenceNumber' is out of range");
        }
        return new JournalRecord((int) sequenceNumber, text(root, "taskId"), text(root, "locale"),
                number(root, "workerPid"), text(root, "startedAt"), events, scripts);
    }

    private static JsonNode object(JsonNode node, String what) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(what + " is not a JSON object");
        }
        return node;
    }

    /** Absent or null is empty where the record allows it ({@code scripts}, added later), else refused. */
    private static JsonNode list(JsonNode node, String field, boolean required) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException("no list '" + field + "'");
            }
            return JsonNodeFactory.instance.arrayNode();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException("field '" + field + "' is not a list");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        String value = RecordFields.text(node.path(field), field);
        if (value == null) {
            throw new IllegalArgumentException("no field '" + field + "'");
        }
        return value;
    }

    private static long number(JsonNode node, String field) {
        return RecordFields.number(node.path(field), field);
    }
}

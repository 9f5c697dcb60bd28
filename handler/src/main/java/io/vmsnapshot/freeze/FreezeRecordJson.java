package io.vmsnapshot.freeze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmsnapshot.json.JsonText;
import io.vmsnapshot.json.MalformedJsonException;
import io.vmsnapshot.json.RecordFields;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code freeze-record.json} to and from {@link FreezeRecord} through Jackson's tree model, not data
 * binding, whose first use costs every start (which reads this file) more than the rest of its
 * work. The format is the one data binding wrote, and so are its rules: the component names in
 * their order, a field it does not know refused, absent or null numbers 0, numbers in strings read.
 * A record left on tmpfs by the version before an update reads the same.
 */
final class FreezeRecordJson {
    private static final Set<String> FIELDS = Set.of("helperPid", "helperStartTicks", "createdAt", "mountPoints");

    private FreezeRecordJson() {
    }

    static byte[] write(FreezeRecord record) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("helperPid", record.helperPid());
        node.put("helperStartTicks", record.helperStartTicks());
        node.put("createdAt", record.createdAt());
        ArrayNode mounts = node.putArray("mountPoints");
        record.mountPoints().forEach(mounts::add);
        return JsonText.write(node);
    }

    /**
     * @throws MalformedJsonException   when the content is not JSON
     * @throws IllegalArgumentException when it is JSON but no freeze record; the message says why
     */
    static FreezeRecord read(byte[] content) throws MalformedJsonException {
        JsonNode root = JsonText.parse(content);
        if (!root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'");
            }
        }
        String createdAt = RecordFields.text(root.get("createdAt"), "createdAt");
        if (createdAt == null) {
            throw new IllegalArgumentException("no field 'createdAt'");
        }
        JsonNode mounts = root.get("mountPoints");
        if (mounts == null || !mounts.isArray()) {
            throw new IllegalArgumentException("no list 'mountPoints'");
        }
        List<String> mountPoints = new ArrayList<>(mounts.size());
        for (JsonNode mount : mounts) {
            String text = RecordFields.text(mount, "mountPoints");
            if (text == null) {
                throw new IllegalArgumentException("a null in 'mountPoints'");
            }
            mountPoints.add(text);
        }
        return new FreezeRecord(RecordFields.number(root.get("helperPid"), "helperPid"),
                RecordFields.number(root.get("helperStartTicks"), "helperStartTicks"), createdAt, mountPoints);
    }
}

package io.vmsnapshot.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.json.JsonText;
import io.vmsnapshot.json.MalformedJsonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed, forgiving access to one JSON object of the settings. Absent and null fields read as
 * empty, as upstream treats them; a field of the wrong shape is {@code SETTINGS_INVALID} naming
 * its full path. Values are never put into a message: settings hold SAS URIs and tokens.
 */
final class SettingsNode {
    private final JsonNode node;
    private final String path;
    private final String source;

    private SettingsNode(JsonNode node, String path, String source) {
        this.node = node;
        this.path = path;
        this.source = source;
    }

    /**
     * @param path   the field path of this object, e.g. {@code publicSettings}, used in messages
     * @param source where it came from, e.g. {@code settings file /x/0.settings}
     */
    static SettingsNode of(JsonNode node, String path, String source) throws HandlerException {
        SettingsNode settings = new SettingsNode(node, path, source);
        if (node == null || !node.isObject()) {
            throw settings.invalid(null, "must be a JSON object, found " + kind(node));
        }
        return settings;
    }

    /** Parses JSON text that must be an object; parse errors name the line and column only. */
    static SettingsNode parse(String text, String path, String source) throws HandlerException {
        JsonNode parsed;
        try {
            parsed = JsonText.parse(text);
        } catch (MalformedJsonException e) {
            throw new HandlerException(ErrorCode.SETTINGS_INVALID,
                    source + ": field '" + path + "' is not valid JSON " + location(e));
        }
        return of(parsed, path, source);
    }

    /** The problem is not named, though it quotes nothing: a message about a secret says only where. */
    static String location(MalformedJsonException e) {
        return "(line " + e.line() + ", column " + e.column() + ")";
    }

    String path() {
        return path;
    }

    String source() {
        return source;
    }

    JsonNode json() {
        return node;
    }

    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    /** A scalar as text; absent or null is "". */
    String string(String field) throws HandlerException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isValueNode()) {
            throw invalid(field, "must be a string, found " + kind(value));
        }
        return value.asText();
    }

    /** A non-blank scalar as text; an object or array is kept as its JSON text. */
    Optional<String> jsonText(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        String text = value.isContainerNode() ? JsonText.writeString(value) : value.asText();
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    /** JSON booleans, or the strings "true"/"false" in any case; absent is false. */
    boolean bool(String field) throws HandlerException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual()) {
            String text = value.textValue().strip().toLowerCase(Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                return text.equals("true");
            }
        }
        throw invalid(field, "must be true or false, found " + kind(value));
    }

    Optional<Long> optionalLong(String field) throws HandlerException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || (value.isTextual() && value.textValue().isBlank())) {
            return Optional.empty();
        }
        return Optional.of(longValue(value, field));
    }

    Optional<Integer> optionalInt(String field) throws HandlerException {
        Optional<Long> value = optionalLong(field);
        if (value.isPresent() && (value.get() < Integer.MIN_VALUE || value.get() > Integer.MAX_VALUE)) {
            throw invalid(field, "is out of range for an integer");
        }
        return value.map(Long::intValue);
    }

    List<Integer> intList(String field) throws HandlerException {
        List<Integer> values = new ArrayList<>();
        for (JsonNode item : array(field)) {
            long value = longValue(item, field);
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw invalid(field, "holds a number out of range for an integer");
            }
            values.add((int) value);
        }
        return values;
    }

    List<String> stringList(String field) throws HandlerException {
        List<String> values = new ArrayList<>();
        for (JsonNode item : array(field)) {
            if (!item.isTextual()) {
                throw invalid(field, "must hold strings, found " + kind(item));
            }
            values.add(item.textValue());
        }
        return values;
    }

    /** A list of {@code {"Key": ..., "Value": ...}} objects, as CRP sends them. */
    List<KeyValue> keyValues(String field) throws HandlerException {
        List<KeyValue> values = new ArrayList<>();
        for (JsonNode item : array(field)) {
            JsonNode key = caseInsensitive(item, "Key");
            if (!item.isObject() || key == null || !key.isTextual()) {
                throw invalid(field, "must hold objects with a string 'Key'");
            }
            JsonNode value = caseInsensitive(item, "Value");
            String text = value == null || value.isNull() ? "" : value.isContainerNode() ? JsonText.writeString(value) : value.asText();
            values.add(new KeyValue(key.textValue(), text));
        }
        return values;
    }

    Optional<SettingsNode> object(String field) throws HandlerException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw invalid(field, "must be a JSON object, found " + kind(value));
        }
        return Optional.of(new SettingsNode(value, qualified(field), source));
    }

    HandlerException invalid(String field, String problem) {
        return invalidField(source, field == null ? path : qualified(field), problem);
    }

    /** The same words for a field whose node is no longer at hand (the worker decrypts later). */
    static HandlerException invalidField(String source, String field, String problem) {
        return new HandlerException(ErrorCode.SETTINGS_INVALID, source + ": field '" + field + "' " + problem);
    }

    private String qualified(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private JsonNode array(String field) throws HandlerException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return JsonNodeFactory.instance.arrayNode();
        }
        if (!value.isArray()) {
            throw invalid(field, "must be a list, found " + kind(value));
        }
        return value;
    }

    private long longValue(JsonNode value, String field) throws HandlerException {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.textValue().strip());
            } catch (NumberFormatException e) {
                throw invalid(field, "must be an integer, found a non-numeric string");
            }
        }
        throw invalid(field, "must be an integer, found " + kind(value));
    }

    private static JsonNode caseInsensitive(JsonNode item, String name) {
        JsonNode exact = item.get(name);
        if (exact != null) {
            return exact;
        }
        for (var fields = item.fields(); fields.hasNext(); ) {
            var entry = fields.next();
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static String kind(JsonNode node) {
        return node == null || node.isMissingNode() ? "nothing" : Objects.toString(node.getNodeType()).toLowerCase(Locale.ROOT);
    }
}

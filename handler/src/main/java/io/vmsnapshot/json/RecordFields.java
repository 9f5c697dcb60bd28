package io.vmsnapshot.json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The field values of a record read by hand from a tree, with the leniency of the data binding that
 * wrote the files before (so that a file an earlier version left reads the same): an absent or null
 * number is 0, a number written as a string counts, any scalar reads as text. A value of another
 * kind is an {@link IllegalArgumentException} naming the field.
 */
public final class RecordFields {
    private RecordFields() {
    }

    /** @param value the field's value; null or MissingNode when the field is absent */
    public static long number(JsonNode value, String field) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return 0;
        }
        if (value.isNumber() && value.canConvertToLong()) {
            return value.asLong();
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.textValue().strip());
            } catch (NumberFormatException e) {
                // Falls through to the refusal below.
            }
        }
        throw new IllegalArgumentException("field '" + field + "' is not an integer");
    }

    /** @return null when the field is absent or null */
    public static String text(JsonNode value, String field) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new IllegalArgumentException("field '" + field + "' is not text");
        }
        return value.asText();
    }
}

package io.vmsnapshot.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Two trees are the same when every node has the same class and value and every object its keys in
 * the same order: {@code JsonNode.equals} alone would take an IntNode for a LongNode of the same
 * number in some versions and ignores key order, and both show in what the tree is written as.
 */
final class SameTree {
    private SameTree() {
    }

    static void assertSameTree(JsonNode expected, JsonNode actual, String document) {
        compare(expected, actual, "$", document);
    }

    private static void compare(JsonNode expected, JsonNode actual, String path, String document) {
        assertEquals(expected.getClass(), actual.getClass(), () -> "node class at " + path + " of " + document);
        if (expected.isObject()) {
            assertEquals(keys(expected), keys(actual), () -> "keys at " + path + " of " + document);
            for (Map.Entry<String, JsonNode> member : expected.properties()) {
                compare(member.getValue(), actual.get(member.getKey()), path + "." + member.getKey(), document);
            }
        } else if (expected.isArray()) {
            assertEquals(expected.size(), actual.size(), () -> "array size at " + path + " of " + document);
            for (int i = 0; i < expected.size(); i++) {
                compare(expected.get(i), actual.get(i), path + "[" + i + "]", document);
            }
        } else {
            assertEquals(expected, actual, () -> "value at " + path + " of " + document);
        }
    }

    private static List<String> keys(JsonNode object) {
        return object.properties().stream().map(Map.Entry::getKey).toList();
    }
}

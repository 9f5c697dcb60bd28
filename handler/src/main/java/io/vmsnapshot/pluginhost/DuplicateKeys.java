package io.vmsnapshot.pluginhost;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The names that appear more than once in one JSON object. Upstream's Python kept the last value
 * without a word; we keep it too (a config that worked must keep working) but name the field, since
 * a customer who edited the first copy wonders why nothing changed.
 */
final class DuplicateKeys {
    private static final JsonFactory FACTORY = new JsonFactory();

    private DuplicateKeys() {
    }

    /** Duplicated names in document order; empty when the text is not JSON (the tree parser says why). */
    static Set<String> in(byte[] json) {
        Set<String> duplicates = new LinkedHashSet<>();
        Deque<Set<String>> objects = new ArrayDeque<>();
        try (JsonParser parser = FACTORY.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case START_OBJECT -> objects.push(new HashSet<>());
                    case END_OBJECT -> objects.pop();
                    case FIELD_NAME -> {
                        if (!objects.peek().add(parser.currentName())) {
                            duplicates.add(parser.currentName());
                        }
                    }
                    default -> { }
                }
            }
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
        return duplicates;
    }
}

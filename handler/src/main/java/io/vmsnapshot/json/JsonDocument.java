package io.vmsnapshot.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed text and the keys it repeats within one object (whose last value the tree keeps), for a
 * reader that tells the customer about them. Not a record: a record's equals, hashCode and toString
 * are linked at run time, and the plugin host, which reads its config through this, must link
 * nothing at run time (see the pluginhost package).
 */
public final class JsonDocument {
    private final JsonNode root;
    private final Set<String> repeatedKeys;

    JsonDocument(JsonNode root, Set<String> repeatedKeys) {
        this.root = Objects.requireNonNull(root, "root");
        this.repeatedKeys = Objects.requireNonNull(repeatedKeys, "repeatedKeys");
    }

    /** The value, as {@link JsonText#parse(byte[])} gives it. */
    public JsonNode root() {
        return root;
    }

    /** Each key that appears more than once in one object, once, in document order. */
    public Set<String> repeatedKeys() {
        return repeatedKeys;
    }
}

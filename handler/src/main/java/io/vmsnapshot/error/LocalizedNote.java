package io.vmsnapshot.error;

import java.util.List;
import java.util.Objects;

/**
 * A sentence for the customer that is not an error of the catalogue: a key of the message bundles
 * and its {@link java.text.MessageFormat} arguments, put into words in the request's language by
 * {@link Messages#format(String, Object...)}.
 */
public record LocalizedNote(String key, List<String> arguments) {
    public LocalizedNote {
        Objects.requireNonNull(key, "key");
        arguments = List.copyOf(arguments);
    }
}

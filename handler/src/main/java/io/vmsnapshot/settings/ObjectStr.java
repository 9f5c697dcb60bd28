package io.vmsnapshot.settings;

import io.vmsnapshot.error.HandlerException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Decodes an {@code objectStr} field the way upstream does: base64, then ASCII, then strip
 * surrounding whitespace and single quotes, then JSON (docs/backup-flow.md §1.3).
 */
final class ObjectStr {
    private ObjectStr() {
    }

    static SettingsNode decode(SettingsNode parent, String field) throws HandlerException {
        String encoded = parent.string(field);
        if (encoded.isBlank()) {
            throw parent.invalid(field, "is missing or empty");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(encoded.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw parent.invalid(field, "is not base64");
        }
        String text;
        try {
            text = StandardCharsets.US_ASCII.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw parent.invalid(field, "is not ASCII text after base64 decoding");
        }
        String stripped = stripQuotes(text.strip());
        String path = parent.path().isEmpty() ? field : parent.path() + "." + field;
        return SettingsNode.parse(stripped, path, parent.source());
    }

    private static String stripQuotes(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == '\'') {
            start++;
        }
        while (end > start && text.charAt(end - 1) == '\'') {
            end--;
        }
        return text.substring(start, end);
    }
}

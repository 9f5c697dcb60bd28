package io.vmsnapshot.error;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.MissingResourceException;

/**
 * One file of message texts beside {@link Messages}: the {@code key=value} lines of a properties
 * file in UTF-8, read as {@link java.util.Properties} reads them. Not Properties itself: its reader
 * takes some 2 ms of every short-lived command over 15 KB of text, a line at a time with indexOf
 * takes a fraction of that. The subset the files use: comments ({@code #} or {@code !}), blank
 * lines, keys without separators or escapes in them, values with backslash escapes. Anything else
 * (a continuation line, a key with a colon or a blank) fails loudly rather than reading differently;
 * MessageFileTest holds every file to what Properties reads.
 */
final class MessageFile {
    private MessageFile() {
    }

    /** @param name a file beside Messages, e.g. {@code messages.properties} */
    static Map<String, String> read(String name) {
        try (InputStream in = Messages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new MissingResourceException("no " + name + " beside " + Messages.class.getName(),
                        Messages.class.getName(), name);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + " beside " + Messages.class.getName(), e);
        }
    }

    static Map<String, String> parse(String text, String name) {
        Map<String, String> texts = new HashMap<>();
        int lineNumber = 0;
        for (int start = 0; start < text.length(); lineNumber++) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            // Properties keeps a value's trailing blanks, and takes a CR before the LF as part of the line end.
            String line = text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end).stripLeading();
            start = end + 1;
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == '!') {
                continue;
            }
            int equals = line.indexOf('=');
            String key = equals < 0 ? "" : line.substring(0, equals).strip();
            if (key.isEmpty() || !isPlainKey(key) || endsInContinuation(line)) {
                throw new IllegalStateException(name + " line " + (lineNumber + 1)
                        + ": not a key=value line of the form these files use (see MessageFile)");
            }
            texts.put(key, unescape(line.substring(equals + 1).stripLeading(), name, lineNumber + 1));
        }
        return texts;
    }

    private static boolean isPlainKey(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == ':' || c == '\\' || Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    /** An odd number of backslashes at the end: Properties would join the next line to this one. */
    private static boolean endsInContinuation(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    private static char hexCharacter(String value, int from, String name, int lineNumber) {
        try {
            return (char) Integer.parseInt(value.substring(from, from + 4), 16);
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            throw new IllegalStateException(name + " line " + lineNumber + ": a \\u escape needs four hex digits");
        }
    }

    private static String unescape(String value, String name, int lineNumber) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder text = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\') {
                text.append(c);
                continue;
            }
            char escaped = value.charAt(++i);
            switch (escaped) {
                case 'n' -> text.append('\n');
                case 't' -> text.append('\t');
                case 'r' -> text.append('\r');
                case 'f' -> text.append('\f');
                case 'u' -> {
                    text.append(hexCharacter(value, i + 1, name, lineNumber));
                    i += 4;
                }
                default -> text.append(escaped);
            }
        }
        return text.toString();
    }
}

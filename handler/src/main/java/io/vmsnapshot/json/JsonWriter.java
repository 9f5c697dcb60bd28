package io.vmsnapshot.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * A Jackson tree to UTF-8 JSON, byte for byte what {@code ObjectMapper.writeValueAsBytes} gives
 * (compact) or its {@code writerWithDefaultPrettyPrinter()} (pretty), so that files written before
 * and after the change compare equal and tests that pin documents keep holding. Jackson's choices
 * kept here: {@code "} and {@code \} and the control characters are escaped ({@code \b \t \n \f \r},
 * else the six-character escape with four hexadecimal digits, in upper case); every UTF-16
 * surrogate is written as such an escape too (an astral character as its escaped pair); other
 * non-ASCII characters as raw UTF-8; a double or float as {@code Double.toString} writes it, NaN
 * and the infinities as strings; binary as Base64 with padding; a missing node as null.
 *
 * <p>The pretty form is DefaultPrettyPrinter's: each object member on its own line, indented two
 * spaces per enclosing object, {@code " : "} between key and value; arrays on one line
 * ({@code [ 1, 2 ]}); empty containers {@code { }} and {@code [ ]}; no final line feed.
 */
final class JsonWriter {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** The most bytes one UTF-16 unit becomes: an escape of four hexadecimal digits. */
    private static final int MAX_BYTES_PER_CHAR = 6;

    private final boolean pretty;
    private byte[] out = new byte[256];
    private int length;

    private JsonWriter(boolean pretty) {
        this.pretty = pretty;
    }

    static byte[] compact(JsonNode node) {
        return new JsonWriter(false).document(node);
    }

    static byte[] pretty(JsonNode node) {
        return new JsonWriter(true).document(node);
    }

    private byte[] document(JsonNode node) {
        value(node, 0);
        return Arrays.copyOf(out, length);
    }

    /** @param level how many objects enclose the value: its members' indentation in the pretty form */
    private void value(JsonNode node, int level) {
        switch (node.getNodeType()) {
            case OBJECT -> object(node, level);
            case ARRAY -> array(node, level);
            case STRING -> string(node.textValue());
            case NUMBER -> number(node);
            case BOOLEAN -> ascii(node.booleanValue() ? "true" : "false");
            case NULL, MISSING -> ascii("null");
            case BINARY -> string(Base64.getEncoder().encodeToString(binary(node)));
            default -> throw new IllegalArgumentException(
                    "a " + node.getNodeType() + " node has no JSON form without ObjectMapper");
        }
    }

    private void object(JsonNode node, int level) {
        if (node.isEmpty()) {
            ascii(pretty ? "{ }" : "{}");
            return;
        }
        put('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> member : node.properties()) {
            if (!first) {
                put(',');
            }
            first = false;
            newLine(level + 1);
            string(member.getKey());
            ascii(pretty ? " : " : ":");
            value(member.getValue(), level + 1);
        }
        newLine(level);
        put('}');
    }

    private void array(JsonNode node, int level) {
        if (node.isEmpty()) {
            ascii(pretty ? "[ ]" : "[]");
            return;
        }
        put('[');
        space();
        boolean first = true;
        for (JsonNode element : node) {
            if (!first) {
                put(',');
                space();
            }
            first = false;
            value(element, level); // an array is not indented, so its elements take no level of their own
        }
        space();
        put(']');
    }

    private void number(JsonNode node) {
        if (node.isInt() || node.isLong() || node.isShort()) {
            ascii(Long.toString(node.longValue()));
        } else if (node.isDouble()) {
            double value = node.doubleValue();
            finiteOrString(Double.toString(value), Double.isFinite(value));
        } else if (node.isFloat()) {
            float value = node.floatValue();
            finiteOrString(Float.toString(value), Float.isFinite(value));
        } else if (node.isBigInteger()) {
            ascii(node.bigIntegerValue().toString());
        } else if (node.isBigDecimal()) {
            ascii(node.decimalValue().toString()); // only a tree that holds a BigDecimal gets here
        } else {
            throw new IllegalArgumentException("a number node of an unknown kind: " + node.getClass().getName());
        }
    }

    /** JSON has no NaN or infinity: Jackson writes them as strings, and so does this. */
    private void finiteOrString(String number, boolean finite) {
        if (finite) {
            ascii(number);
        } else {
            string(number);
        }
    }

    private void string(String text) {
        ensure(2);
        out[length++] = '"';
        for (int i = 0; i < text.length(); i++) {
            ensure(MAX_BYTES_PER_CHAR);
            char c = text.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    out[length++] = (byte) c;
                } else {
                    escape(c);
                }
            } else if (c < 0x800) {
                out[length++] = (byte) (0xC0 | (c >> 6));
                out[length++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(c);
            } else {
                out[length++] = (byte) (0xE0 | (c >> 12));
                out[length++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[length++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        ensure(1);
        out[length++] = '"';
    }

    private void escape(char c) {
        char shortForm = switch (c) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '\b' -> 'b';
            case '\t' -> 't';
            case '\n' -> 'n';
            case '\f' -> 'f';
            case '\r' -> 'r';
            default -> 0;
        };
        if (shortForm == 0) {
            unicodeEscape(c);
        } else {
            out[length++] = '\\';
            out[length++] = (byte) shortForm;
        }
    }

    private void unicodeEscape(char c) {
        out[length++] = '\\';
        out[length++] = 'u';
        out[length++] = HEX[c >> 12];
        out[length++] = HEX[(c >> 8) & 0xF];
        out[length++] = HEX[(c >> 4) & 0xF];
        out[length++] = HEX[c & 0xF];
    }

    private void newLine(int level) {
        if (pretty) {
            ensure(1 + 2 * level);
            out[length++] = '\n';
            for (int i = 0; i < 2 * level; i++) {
                out[length++] = ' ';
            }
        }
    }

    private void space() {
        if (pretty) {
            put(' ');
        }
    }

    private void put(char c) {
        ensure(1);
        out[length++] = (byte) c;
    }

    /** Text known to be ASCII: numbers, literals, punctuation. */
    private void ascii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            out[length++] = (byte) text.charAt(i);
        }
    }

    private void ensure(int more) {
        if (length + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, length + more));
        }
    }

    private static byte[] binary(JsonNode node) {
        try {
            return node.binaryValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a BinaryNode holds its bytes and reads nothing
        }
    }
}

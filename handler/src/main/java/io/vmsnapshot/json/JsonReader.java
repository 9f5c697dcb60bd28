package io.vmsnapshot.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One RFC 8259 document to a Jackson tree, by recursive descent over the text. It builds the same
 * nodes as {@code ObjectMapper.readTree} with its defaults (and nothing of jackson-core's parser,
 * whose base class initialises {@code BigDecimal}: that alone is several milliseconds of every
 * short-lived command), but is stricter: content after the value is an error, as in Python's
 * {@code json.loads} that upstream used.
 *
 * <p>Lines are not counted while reading: {@link TextPosition} works out the line and column of
 * the offending character only when there is an error.
 */
final class JsonReader {
    static final char BYTE_ORDER_MARK = '\uFEFF';
    /**
     * Arrays and objects inside one another, at most; deeper is an error, not a stack overflow. The
     * same as Jackson 2.22's {@code StreamReadConstraints.DEFAULT_MAX_DEPTH}, so that a document
     * ObjectMapper reads is read here too.
     */
    static final int MAX_DEPTH = 1000;
    /**
     * Characters of a number, not counting a minus sign, at most: {@code BigInteger}'s parsing is
     * quadratic in the digits. Jackson's {@code DEFAULT_MAX_NUM_LEN}; Jackson counts the same for
     * an integer, a little differently for a fraction, so only numbers near the limit may differ.
     */
    static final int MAX_NUMBER_LENGTH = 1000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ENDS_IN_STRING = "the text ends inside a string";
    private static final String NOT_A_WORD = "a word that is not true, false or null (strings take double quotes)";

    private final String text;
    private final int end;
    private int pos;
    /** Keys that appear more than once in one object, in the order of their second appearance. */
    private final Set<String> repeatedKeys = new LinkedHashSet<>();
    /** For strings with escapes only, made once per document, so reading allocates no buffer per string. */
    private StringBuilder unescaped;

    private JsonReader(String text) {
        this.text = text;
        this.end = text.length();
    }

    static JsonNode read(String text) throws MalformedJsonException {
        return new JsonReader(text).document();
    }

    static JsonDocument readDocument(String text) throws MalformedJsonException {
        JsonReader reader = new JsonReader(text);
        JsonNode root = reader.document();
        return new JsonDocument(root, Collections.unmodifiableSet(reader.repeatedKeys));
    }

    private JsonNode document() throws MalformedJsonException {
        if (end > 0 && text.charAt(0) == BYTE_ORDER_MARK) {
            pos = 1;
        }
        skipWhitespace();
        if (pos == end) {
            return MissingNode.getInstance(); // what readTree gives for a text without a value
        }
        JsonNode value = value(0);
        skipWhitespace();
        if (pos < end) {
            throw error("expected the end of the text after the value but found " + CharacterKind.describe(text.charAt(pos)));
        }
        return value;
    }

    /** @param depth how many arrays and objects enclose the value */
    private JsonNode value(int depth) throws MalformedJsonException {
        if (pos == end) {
            throw error("the text ends where a value should be");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> NODES.textNode(string());
            case 't' -> word("true", NODES.booleanNode(true));
            case 'f' -> word("false", NODES.booleanNode(false));
            case 'n' -> word("null", NODES.nullNode());
            default -> {
                if (c == '-' || isDigit(c)) {
                    yield number();
                }
                // NaN, Infinity, True, an unquoted string
                throw error(isWordCharacter(c) ? NOT_A_WORD : "expected a value but found " + CharacterKind.describe(c));
            }
        };
    }

    private ObjectNode object(int depth) throws MalformedJsonException {
        checkDepth(depth);
        pos++;
        ObjectNode object = NODES.objectNode();
        skipWhitespace();
        if (pos < end && text.charAt(pos) == '}') {
            pos++;
            return object;
        }
        while (true) {
            skipWhitespace();
            if (pos == end) {
                throw error("the text ends inside an object");
            }
            char c = text.charAt(pos);
            if (c != '"') {
                throw error(c == '}' ? "a comma before a closing brace (JSON allows no trailing comma)"
                        : "expected an object key in double quotes but found " + CharacterKind.describe(c));
            }
            String key = string();
            skipWhitespace();
            if (pos == end) {
                throw error("the text ends inside an object");
            }
            if (text.charAt(pos) != ':') {
                throw error("expected a colon after an object key but found " + CharacterKind.describe(text.charAt(pos)));
            }
            pos++;
            skipWhitespace();
            if (object.has(key)) {
                repeatedKeys.add(key);
            }
            object.set(key, value(depth)); // a repeated key keeps the last value, in the first one's place, as readTree does
            skipWhitespace();
            if (pos == end) {
                throw error("the text ends inside an object");
            }
            c = text.charAt(pos);
            if (c == '}') {
                pos++;
                return object;
            }
            if (c != ',') {
                throw error("expected a comma or a closing brace after an object member but found " + CharacterKind.describe(c));
            }
            pos++;
        }
    }

    private ArrayNode array(int depth) throws MalformedJsonException {
        checkDepth(depth);
        pos++;
        ArrayNode array = NODES.arrayNode();
        skipWhitespace();
        if (pos < end && text.charAt(pos) == ']') {
            pos++;
            return array;
        }
        while (true) {
            skipWhitespace();
            if (pos < end && text.charAt(pos) == ']') {
                throw error("a comma before a closing bracket (JSON allows no trailing comma)");
            }
            array.add(value(depth));
            skipWhitespace();
            if (pos == end) {
                throw error("the text ends inside an array");
            }
            char c = text.charAt(pos);
            if (c == ']') {
                pos++;
                return array;
            }
            if (c != ',') {
                throw error("expected a comma or a closing bracket after an array element but found " + CharacterKind.describe(c));
            }
            pos++;
        }
    }

    private void checkDepth(int depth) throws MalformedJsonException {
        if (depth > MAX_DEPTH) {
            throw error("arrays and objects nested more than " + MAX_DEPTH + " deep");
        }
    }

    /** A string at {@code pos} (its opening quote); most have no escape and are one substring of the text. */
    private String string() throws MalformedJsonException {
        int start = pos + 1;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '"') {
                pos = i + 1;
                return text.substring(start, i);
            }
            if (c == '\\' || c < 0x20) {
                return stringWithEscapes(start, i);
            }
        }
        pos = end;
        throw error(ENDS_IN_STRING);
    }

    private String stringWithEscapes(int start, int from) throws MalformedJsonException {
        if (unescaped == null) {
            unescaped = new StringBuilder();
        }
        StringBuilder out = unescaped;
        out.setLength(0);
        out.append(text, start, from);
        int i = from;
        while (i < end) {
            char c = text.charAt(i);
            if (c == '"') {
                pos = i + 1;
                return out.toString();
            }
            if (c < 0x20) {
                pos = i;
                throw error("a control character in a string (it must be written as an escape)");
            }
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 == end) {
                break;
            }
            char escape = text.charAt(i + 1);
            switch (escape) {
                case '"', '\\', '/' -> out.append(escape);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> out.append(hexCharacter(i + 2));
                default -> {
                    pos = i + 1;
                    throw error("an escape in a string that JSON does not have (a backslash must be followed by one of"
                            + " the quote, backslash, slash, b, f, n, r, t or u)");
                }
            }
            i += escape == 'u' ? 6 : 2;
        }
        pos = end;
        throw error(ENDS_IN_STRING);
    }

    /**
     * The four hex digits of a {@code \\u} escape. A lone surrogate is taken as it is, as Jackson
     * takes it: the value is text Java can hold, and refusing it would refuse what ObjectMapper wrote.
     */
    private char hexCharacter(int from) throws MalformedJsonException {
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            if (i == end) {
                pos = end;
                throw error(ENDS_IN_STRING);
            }
            int digit = hexDigit(text.charAt(i));
            if (digit < 0) {
                pos = i;
                throw error("an escape \\u not followed by four hexadecimal digits");
            }
            value = (value << 4) | digit;
        }
        return (char) value;
    }

    /**
     * A number at {@code pos}: an integer becomes an IntNode, a LongNode or a BigIntegerNode, the
     * smallest that holds it; one with a fraction or an exponent a DoubleNode, as readTree does.
     */
    private JsonNode number() throws MalformedJsonException {
        int start = pos;
        int i = start;
        boolean negative = text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        int digitsStart = i;
        if (i == end || !isDigit(text.charAt(i))) {
            pos = i;
            throw error("a minus sign not followed by a digit");
        }
        if (text.charAt(i) == '0') {
            i++;
            if (i < end && isDigit(text.charAt(i))) {
                pos = i;
                throw error("a number with a leading zero");
            }
        } else {
            i = skipDigits(i);
        }
        int integerEnd = i;
        boolean integer = true;
        if (i < end && text.charAt(i) == '.') {
            integer = false;
            i++;
            if (i == end || !isDigit(text.charAt(i))) {
                pos = i;
                throw error("a decimal point not followed by a digit");
            }
            i = skipDigits(i);
        }
        if (i < end && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            integer = false;
            i++;
            if (i < end && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            if (i == end || !isDigit(text.charAt(i))) {
                pos = i;
                throw error("an exponent without digits");
            }
            i = skipDigits(i);
        }
        if (i - digitsStart > MAX_NUMBER_LENGTH) {
            throw error("a number of more than " + MAX_NUMBER_LENGTH + " characters");
        }
        pos = i;
        if (!integer) {
            return NODES.numberNode(Double.parseDouble(text.substring(start, i)));
        }
        if (integerEnd - digitsStart <= 18) { // 18 digits always fit a long
            long value = 0;
            for (int k = digitsStart; k < integerEnd; k++) {
                value = value * 10 + (text.charAt(k) - '0');
            }
            value = negative ? -value : value;
            return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
        }
        BigInteger value = new BigInteger(text.substring(start, i));
        return value.bitLength() < Long.SIZE ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
    }

    private int skipDigits(int from) {
        int i = from;
        while (i < end && isDigit(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** {@code true}, {@code false} or {@code null} at {@code pos}, and not the start of a longer word. */
    private JsonNode word(String word, JsonNode node) throws MalformedJsonException {
        int after = pos + word.length();
        if (!text.startsWith(word, pos) || (after < end && isWordCharacter(text.charAt(after)))) {
            throw error(NOT_A_WORD);
        }
        pos = after;
        return node;
    }

    private void skipWhitespace() {
        while (pos < end) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static boolean isWordCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_';
    }

    private MalformedJsonException error(String problem) {
        return TextPosition.error(problem, text, pos);
    }
}

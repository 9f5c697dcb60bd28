package io.vmsnapshot.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Text that is not exactly one RFC 8259 value is a MalformedJsonException naming what is wrong and
 * the line and column of the offending character, in the style of JSONTestSuite's n_ cases. The
 * problem never quotes the text: settings files hold secrets.
 */
class JsonTextRejectsMalformedTextTest {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    /** A text JsonText must reject, where, and a piece of what it must say. */
    private record Bad(String name, byte[] utf8, int line, int column, String problem) {
        static Bad text(String name, String text, int line, int column, String problem) {
            return new Bad(name, text.getBytes(StandardCharsets.UTF_8), line, column, problem);
        }
    }

    private static final List<Bad> CORPUS = List.of(
            // structure
            Bad.text("an array cut short", "[1, 2", 1, 6, "the text ends inside an array"),
            Bad.text("an array cut after a comma", "[1,", 1, 4, "the text ends where a value should be"),
            Bad.text("only an opening bracket", "[", 1, 2, "the text ends where a value should be"),
            Bad.text("an object cut short", "{\"a\":1", 1, 7, "the text ends inside an object"),
            Bad.text("an object cut after a key", "{\"a\"", 1, 5, "the text ends inside an object"),
            Bad.text("an object cut after a colon", "{\"a\":", 1, 6, "the text ends where a value should be"),
            Bad.text("a trailing comma in an array", "[1,2,]", 1, 6, "a comma before a closing bracket"),
            Bad.text("a trailing comma in an object", "{\"a\":1,}", 1, 8, "a comma before a closing brace"),
            Bad.text("two commas", "[1,,2]", 1, 4, "expected a value but found a comma"),
            Bad.text("a comma only in an object", "{,}", 1, 2, "expected an object key in double quotes"),
            Bad.text("a missing comma in an array", "[1 2]", 1, 4, "expected a comma or a closing bracket"),
            Bad.text("a missing comma in an object", "{\"a\":1 \"b\":2}", 1, 8, "expected a comma or a closing brace"),
            Bad.text("a missing colon", "{\"a\" 1}", 1, 6, "expected a colon after an object key"),
            Bad.text("an unquoted key", "{a:1}", 1, 2, "expected an object key in double quotes but found a letter"),
            Bad.text("a number as a key", "{1:1}", 1, 2, "expected an object key in double quotes but found a digit"),
            Bad.text("a missing value", "{\"a\":}", 1, 6, "expected a value but found a closing brace"),
            Bad.text("a colon in an array", "[\"a\":1]", 1, 5, "expected a comma or a closing bracket"),
            Bad.text("a lone closing bracket", "]", 1, 1, "expected a value but found a closing bracket"),
            Bad.text("mismatched brackets", "[1}", 1, 3, "found a closing brace"),
            // content after the value
            Bad.text("a second value", "[1] [2]", 1, 5, "expected the end of the text after the value"),
            Bad.text("an extra closing brace", "{\"a\":1}}", 1, 8, "expected the end of the text"),
            Bad.text("garbage after a number", "0x10", 1, 2, "expected the end of the text after the value but found a letter"),
            Bad.text("two numbers", "1 2", 1, 3, "expected the end of the text"),
            Bad.text("a second exponent part", "1e1.5", 1, 4, "found a decimal point"),
            // numbers
            Bad.text("a leading zero", "01", 1, 2, "a number with a leading zero"),
            Bad.text("a negative leading zero", "[-012]", 1, 4, "a number with a leading zero"),
            Bad.text("a minus alone", "-", 1, 2, "a minus sign not followed by a digit"),
            Bad.text("a minus and a space", "- 1", 1, 2, "a minus sign not followed by a digit"),
            Bad.text("minus infinity", "-Infinity", 1, 2, "a minus sign not followed by a digit"),
            Bad.text("a decimal point last", "1.", 1, 3, "a decimal point not followed by a digit"),
            Bad.text("a decimal point before an exponent", "1.e1", 1, 3, "a decimal point not followed by a digit"),
            Bad.text("a decimal point first", ".5", 1, 1, "expected a value but found a decimal point"),
            Bad.text("an exponent without digits", "[1.5e]", 1, 6, "an exponent without digits"),
            Bad.text("an exponent with only a sign", "1e+", 1, 4, "an exponent without digits"),
            Bad.text("a plus sign", "+1", 1, 1, "expected a value but found a plus sign"),
            Bad.text("a hexadecimal number", "[0x1F]", 1, 3, "expected a comma or a closing bracket"),
            Bad.text("a number too long", "1".repeat(1001), 1, 1, "a number of more than 1000 characters"),
            // words
            Bad.text("NaN", "NaN", 1, 1, "a word that is not true, false or null"),
            Bad.text("Infinity", "[Infinity]", 1, 2, "a word that is not true, false or null"),
            Bad.text("a capital True", "True", 1, 1, "a word that is not true, false or null"),
            Bad.text("a cut true", "tru", 1, 1, "a word that is not true, false or null"),
            Bad.text("a longer word", "{\"a\": truex}", 1, 7, "a word that is not true, false or null"),
            Bad.text("null and a digit", "null1", 1, 1, "a word that is not true, false or null"),
            Bad.text("an unquoted string", "[abc]", 1, 2, "a word that is not true, false or null"),
            // strings
            Bad.text("a string cut short", "\"abc", 1, 5, "the text ends inside a string"),
            Bad.text("a string cut in an escape", "\"a\\", 1, 4, "the text ends inside a string"),
            Bad.text("a string cut in a unicode escape", "\"\\u00", 1, 6, "the text ends inside a string"),
            Bad.text("a single-quoted string", "'a'", 1, 1, "a single quote"),
            Bad.text("an escape JSON does not have", "\"a\\x\"", 1, 4, "an escape in a string that JSON does not have"),
            Bad.text("an escaped single quote", "\"\\'\"", 1, 3, "an escape in a string that JSON does not have"),
            Bad.text("a short unicode escape", "\"\\u12\"", 1, 6, "not followed by four hexadecimal digits"),
            Bad.text("a unicode escape with letters", "\"\\u00zz\"", 1, 6, "not followed by four hexadecimal digits"),
            Bad.text("an upper-case U escape", "\"\\U0041\"", 1, 3, "an escape in a string that JSON does not have"),
            Bad.text("a raw tab in a string", "\"a\tb\"", 1, 3, "a control character in a string"),
            Bad.text("a raw NUL in a string", "[\"\u0000\"]", 1, 3, "a control character in a string"),
            Bad.text("a raw line feed in a string", "\"a\nb\"", 1, 3, "a control character in a string"),
            Bad.text("a raw control character after an escape", "\"\\n\u001f\"", 1, 4, "a control character in a string"),
            // comments and other whitespace
            Bad.text("a block comment", "/* c */ 1", 1, 1, "a comment sign (JSON has no comments)"),
            Bad.text("a line comment", "1 // c", 1, 3, "a comment sign"),
            Bad.text("a hash comment", "# c\n1", 1, 1, "a comment sign"),
            Bad.text("a vertical tab", "\u000b1", 1, 1, "expected a value but found a control character"),
            Bad.text("a form feed between values", "[1,\f2]", 1, 4, "found a control character"),
            Bad.text("a no-break space", "\u00a0 1", 1, 1, "a space other than space, tab, line feed or carriage return"),
            Bad.text("a line separator", "[1\u2028]", 1, 3, "a space other than space"),
            Bad.text("a byte-order mark between values", "[\uFEFF1]", 1, 2, "a byte-order mark"),
            Bad.text("an escape outside a string", "\\u0041", 1, 1, "found a punctuation character"),
            Bad.text("a non-ASCII letter as a value", "[\u00e9]", 1, 2, "a non-ASCII letter or digit"),
            Bad.text("an emoji as a value", "[\ud83d\ude00]", 1, 2, "a non-ASCII character"),
            // lines and columns
            Bad.text("a cut word on the third line", "{\n  \"a\": 1,\n  \"b\": tru\n}", 3, 8, "a word"),
            Bad.text("a trailing comma after CRLF lines", "[\r\n1,\r\n]", 3, 1, "a comma before a closing bracket"),
            Bad.text("a trailing comma after CR lines", "[\r1,\r]", 3, 1, "a comma before a closing bracket"),
            Bad.text("a column counts an astral character once", "\"\ud83d\ude00\" x", 1, 5, "expected the end"),
            Bad.text("a column counts a non-ASCII character once", "[\"\u00e9\u4e2d\",]", 1, 7, "a comma before"),
            Bad.text("a cut string over lines", "[\n\"a\\nb", 2, 6, "the text ends inside a string"),
            // nesting
            Bad.text("arrays too deep", "[".repeat(1001) + "]".repeat(1001), 1, 1001, "nested more than 1000 deep"),
            Bad.text("objects too deep", "{\"a\":".repeat(1001) + "1" + "}".repeat(1001), 1, 5 * 1000 + 1,
                    "nested more than 1000 deep"),
            Bad.text("nesting far too deep for a stack", "[".repeat(200_000), 1, 1001, "nested more than 1000 deep"),
            // UTF-8 and byte-order marks
            new Bad("a byte that starts no character", bytes("{\"a\":\"", new byte[] {(byte) 0xFF}, "\"}"), 1, 7,
                    "not valid UTF-8"),
            new Bad("a lone continuation byte", bytes("[\"", new byte[] {(byte) 0x80}, "\"]"), 1, 3, "not valid UTF-8"),
            new Bad("a sequence cut by the end", bytes("\"\u00e9", new byte[] {(byte) 0xC3}), 1, 3, "not valid UTF-8"),
            new Bad("a sequence cut by an ASCII byte", bytes("\"", new byte[] {(byte) 0xE4, (byte) 0xB8}, "x\""), 1, 2,
                    "not valid UTF-8"),
            new Bad("an overlong slash", bytes("\"", new byte[] {(byte) 0xC0, (byte) 0xAF}, "\""), 1, 2, "not valid UTF-8"),
            new Bad("an overlong three-byte form", bytes("\"", new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, "\""),
                    1, 2, "not valid UTF-8"),
            new Bad("an encoded surrogate", bytes("[\"a\",\n\"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"]"),
                    2, 2, "not valid UTF-8"),
            new Bad("a code point above U+10FFFF", bytes("\"", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80,
                (byte) 0x80}, "\""), 1, 2, "not valid UTF-8"),
            new Bad("a five-byte form", bytes("\"", new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80,
                (byte) 0x80}, "\""), 1, 2, "not valid UTF-8"),
            new Bad("Latin-1 text", bytes("{\"caf", new byte[] {(byte) 0xE9}, "\": 1}"), 1, 6, "not valid UTF-8"),
            new Bad("a UTF-16 byte-order mark", bytes("", new byte[] {(byte) 0xFF, (byte) 0xFE}, "1"), 1, 1,
                    "not valid UTF-8"),
            new Bad("a byte-order mark in the middle", bytes("[", BOM, "1]"), 1, 2, "a byte-order mark"),
            new Bad("two byte-order marks", bytes("", BOM, "\uFEFF1"), 1, 1, "a byte-order mark"),
            new Bad("a byte-order mark takes no column", bytes("", BOM, "[1,]"), 1, 4, "a comma before a closing bracket"),
            new Bad("a column after a byte-order mark and a non-ASCII character", bytes("", BOM, "[\"\u00e9\u0000\"]"),
                    1, 4, "a control character in a string"));

    @Test
    void everyMalformedTextIsRejectedWithItsProblemLineAndColumn() {
        for (Bad bad : CORPUS) {
            MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> JsonText.parse(bad.utf8()),
                    bad.name());
            assertTrue(e.problem().contains(bad.problem()), bad.name() + ": " + e.problem());
            assertEquals(List.of(bad.line(), bad.column()), List.of(e.line(), e.column()), bad.name() + ": " + e.problem());
            assertEquals(e.problem() + " (line " + bad.line() + ", column " + bad.column() + ")", e.getMessage());
        }
    }

    @Test
    void theTextFormIsRejectedAtTheSamePlaceAsItsBytes() {
        for (Bad bad : CORPUS) {
            String text = new String(bad.utf8(), StandardCharsets.UTF_8);
            if (bad.problem().equals(Utf8Decoder.NOT_UTF8) || text.contains("\uFFFD")) {
                continue; // invalid UTF-8 has no text form
            }
            MalformedJsonException e = assertThrows(MalformedJsonException.class, () -> JsonText.parse(text), bad.name());
            assertEquals(List.of(bad.line(), bad.column()), List.of(e.line(), e.column()), bad.name());
        }
    }

    @Test
    void theProblemNeverQuotesTheText() throws Exception {
        String secret = "Qx7zK9wPj2mZvB4t";
        List<byte[]> texts = List.of(
                utf8("{\"password\":\"" + secret),
                utf8("{\"password\": " + secret + "}"),
                utf8(secret),
                utf8("[\"" + secret + "\" \"" + secret + "\"]"),
                utf8("{\"" + secret + "\" " + secret + "}"),
                utf8("{\"password\":\"" + secret + "\\q\"}"),
                utf8("{\"password\":\"" + secret + "\\u" + secret + "\"}"),
                utf8("{\"password\":\"" + secret + "\u0001\"}"),
                utf8("{\"password\":-" + secret + "}"),
                utf8("{\"password\":1" + secret + "}"),
                utf8("{\"password\":0" + secret + "}"),
                utf8("[1.e" + secret + "]"),
                utf8("[1,]" + secret),
                utf8("{\"a\":\"" + secret + "\"}" + secret),
                utf8("\"" + secret + "\"\u0000"),
                bytes("{\"password\":\"" + secret, new byte[] {(byte) 0xC3, 0x28}, secret + "\"}"),
                utf8("'" + secret + "'"),
                utf8("/*" + secret + "*/{}"));
        for (byte[] text : texts) {
            try {
                JsonText.parse(text);
                fail("accepted " + new String(text, StandardCharsets.UTF_8));
            } catch (MalformedJsonException e) {
                for (int i = 0; i + 4 <= secret.length(); i++) {
                    String piece = secret.substring(i, i + 4);
                    assertFalse(e.getMessage().contains(piece), e.getMessage());
                }
            }
        }
    }

    @Test
    void textWithoutAValueGivesTheMissingNodeAsReadTreeDoes() throws Exception {
        assertSame(MissingNode.getInstance(), JsonText.parse(new byte[0]));
        assertSame(MissingNode.getInstance(), JsonText.parse(" \t\r\n"));
        assertSame(MissingNode.getInstance(), JsonText.parse(BOM));
        assertSame(MissingNode.getInstance(), JsonText.parse(bytes("", BOM, "\n  ")));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(before));
        out.writeBytes(middle);
        out.writeBytes(utf8(after));
        return out.toByteArray();
    }

    private static byte[] bytes(String before, byte[] middle) {
        return bytes(before, middle, "");
    }
}

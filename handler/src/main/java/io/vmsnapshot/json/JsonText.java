package io.vmsnapshot.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.charset.StandardCharsets;

/**
 * Parses JSON text into Jackson trees and writes them back, without ObjectMapper: its construction
 * and first parse cost a short-lived command more than its own work (see the package comment).
 *
 * <p>Contract: {@link #parse} accepts exactly one RFC 8259 value, surrounded by whitespace only (a
 * UTF-8 byte-order mark first is allowed); text that is empty or whitespace only gives
 * {@link MissingNode}. Integers become IntNode, LongNode or BigIntegerNode (the smallest that holds
 * them), other numbers DoubleNode, as ObjectMapper's defaults do; a repeated object key keeps the
 * last value. {@link #write} gives what {@code ObjectMapper.writeValueAsBytes} gives for the same
 * tree, {@link #writePretty} what its default pretty printer gives.
 *
 * <p>Stricter than ObjectMapper: content after the value, invalid UTF-8, and arrays and objects
 * nested more than {@value JsonReader#MAX_DEPTH} deep are errors. A problem names the position of
 * the offending character and never quotes the text.
 */
public final class JsonText {
    private JsonText() {
    }

    public static JsonNode parse(byte[] utf8) throws MalformedJsonException {
        return JsonReader.read(Utf8Decoder.decode(utf8));
    }

    /** As {@link #parse(byte[])}, and which keys the text repeats within one object. */
    public static JsonDocument parseDocument(byte[] utf8) throws MalformedJsonException {
        return JsonReader.readDocument(Utf8Decoder.decode(utf8));
    }

    /** As {@link #parse(byte[])}, for text already decoded; a U+FEFF first is taken as the byte-order mark. */
    public static JsonNode parse(String text) throws MalformedJsonException {
        return JsonReader.read(text);
    }

    public static byte[] write(JsonNode node) {
        return JsonWriter.compact(node);
    }

    public static String writeString(JsonNode node) {
        return new String(write(node), StandardCharsets.UTF_8);
    }

    public static byte[] writePretty(JsonNode node) {
        return JsonWriter.pretty(node);
    }
}

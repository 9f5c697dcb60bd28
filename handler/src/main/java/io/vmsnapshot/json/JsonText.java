package io.vmsnapshot.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Parses JSON text into Jackson trees and writes them back. TEMPORARY: backed by an ObjectMapper
 * until the hand-written parser and writer replace it (same contract).
 *
 * <p>Contract: {@link #parse} accepts exactly one RFC 8259 value, surrounded by whitespace only (a
 * UTF-8 byte-order mark first is allowed); text that is empty or whitespace only gives
 * {@link MissingNode}. Integers become IntNode, LongNode or BigIntegerNode (the smallest that holds
 * them), other numbers DoubleNode, as ObjectMapper's defaults do; a repeated object key keeps the
 * last value. {@link #write} gives what {@code ObjectMapper.writeValueAsBytes} gives for the same
 * tree, {@link #writePretty} what its default pretty printer gives.
 */
public final class JsonText {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonText() {
    }

    public static JsonNode parse(byte[] utf8) throws MalformedJsonException {
        return parse(new String(utf8, StandardCharsets.UTF_8));
    }

    public static JsonNode parse(String text) throws MalformedJsonException {
        try {
            JsonNode node = JSON.readTree(text);
            return node == null ? MissingNode.getInstance() : node;
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException(e.getOriginalMessage(),
                    e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    e.getLocation() == null ? 0 : e.getLocation().getColumnNr());
        }
    }

    public static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String writeString(JsonNode node) {
        return new String(write(node), StandardCharsets.UTF_8);
    }

    public static byte[] writePretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

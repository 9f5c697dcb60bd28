package io.vmsnapshot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Property-based hostile input with plain {@link Random} and fixed seeds, so every failure can be
 * replayed from its seed and iteration alone. {@link #run} drives a target for a bounded number of
 * iterations, collects every outcome the target did not handle (an exception other than the ones
 * it is allowed to throw), prints one summary line per target ({@code fuzz-summary target=...})
 * that RELIABILITY.md quotes, and fails naming the first few failures.
 *
 * <p>The iteration count scales with the system property {@code vmsnapshot.fuzz.scale} (default 1):
 * a soak run is {@code -Dvmsnapshot.fuzz.scale=50}.
 */
public final class Fuzz {
    /** One iteration: builds an input from the random source and feeds it to the code under test. */
    @FunctionalInterface
    public interface Case {
        void run(Random random, int iteration) throws Exception;
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fuzz() {
    }

    public static int iterations(int base) {
        String scale = System.getProperty("vmsnapshot.fuzz.scale", "1");
        return Math.max(1, base * Math.max(1, Integer.parseInt(scale.strip())));
    }

    /**
     * @param handled exception types that count as a handled outcome (e.g. HandlerException); any
     *                other Throwable is an unhandled failure
     */
    @SafeVarargs
    public static void run(String target, long seed, int iterations, Case fuzzCase,
            Class<? extends Throwable>... handled) {
        List<String> failures = new ArrayList<>();
        int handledCount = 0;
        for (int i = 0; i < iterations; i++) {
            Random random = new Random(seed * 1_000_003L + i);
            try {
                fuzzCase.run(random, i);
            } catch (Throwable t) {
                if (isHandled(t, handled)) {
                    handledCount++;
                } else {
                    if (t instanceof VirtualMachineError error && !(t instanceof StackOverflowError)) {
                        throw error;
                    }
                    failures.add("seed=" + seed + " iteration=" + i + ": " + t + stackTop(t));
                }
            }
        }
        System.out.println("fuzz-summary target=" + target + " seed=" + seed + " iterations=" + iterations
                + " handledErrors=" + handledCount + " unhandled=" + failures.size());
        if (!failures.isEmpty()) {
            throw new AssertionError(target + ": " + failures.size() + " of " + iterations
                    + " inputs ended in an unhandled failure; first ones:\n  "
                    + String.join("\n  ", failures.subList(0, Math.min(5, failures.size()))));
        }
    }

    private static boolean isHandled(Throwable t, Class<? extends Throwable>[] handled) {
        for (Class<? extends Throwable> type : handled) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String stackTop(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(4, trace.length); i++) {
            text.append("\n      at ").append(trace[i]);
        }
        return text.toString();
    }

    // ---- values

    /** A hostile JSON value: wrong types, huge or odd strings and numbers, deep nesting, nulls. */
    public static JsonNode hostileValue(Random random) {
        return switch (random.nextInt(16)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 -> NODES.numberNode(new BigInteger(200, random));
            case 4 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(600) - 300));
            case 5 -> NODES.numberNode(-random.nextInt(1000));
            case 6 -> NODES.textNode(hostileString(random));
            case 7 -> NODES.textNode("x".repeat(random.nextInt(8) == 0 ? 1_100_000 : 70_000));
            case 8 -> NODES.arrayNode();
            case 9 -> NODES.objectNode();
            case 10 -> deepNesting(random, 10 + random.nextInt(900));
            case 11 -> {
                ArrayNode array = NODES.arrayNode();
                int size = random.nextInt(2) == 0 ? random.nextInt(5) : 5_000 + random.nextInt(5_000);
                for (int i = 0; i < size; i++) {
                    array.add(random.nextInt(3) == 0 ? NODES.textNode(hostileString(random)) : NODES.numberNode(i));
                }
                yield array;
            }
            case 12 -> NODES.textNode(Long.toString(random.nextLong()));
            case 13 -> NODES.textNode(random.nextBoolean() ? "True" : "nope");
            case 14 -> {
                ObjectNode object = NODES.objectNode();
                object.put("Key", hostileString(random));
                object.set("Value", random.nextBoolean() ? NODES.textNode(hostileString(random)) : NODES.nullNode());
                yield object;
            }
            default -> NODES.textNode(String.valueOf(random.nextInt()));
        };
    }

    /** Control characters, lone surrogates, quotes, path tricks, format strings, very long lines. */
    public static String hostileString(Random random) {
        String[] pieces = {"", " ", "\u0000", "\n", "\r\n", "\t", "\"", "'", "\\", "%s%n%d", "${jndi:x}", "../../etc/passwd",
            "/proc/self/environ", "\uD800", "\uDFFF", "\uFFFF", "\u202E", "\u00e9", "\u4e2d\u6587", "\uD83D\uDE00",
            "sig=SECRET", "?sv=1&sig=abc", "snapshot", "install", "-1", "0", "9999999999999999999999", "1e400", "NaN",
            "true", "null", "[]", "{}", "base64==", "\u0085", "\u2028"};
        StringBuilder text = new StringBuilder();
        int parts = random.nextInt(6);
        for (int i = 0; i < parts; i++) {
            text.append(pieces[random.nextInt(pieces.length)]);
            if (random.nextInt(8) == 0) {
                text.append((char) random.nextInt(0x10000));
            }
        }
        if (random.nextInt(50) == 0) {
            text.append("y".repeat(10_000 + random.nextInt(100_000)));
        }
        return text.toString();
    }

    public static JsonNode deepNesting(Random random, int depth) {
        JsonNode node = NODES.textNode("bottom");
        for (int i = 0; i < depth; i++) {
            if (random.nextBoolean()) {
                node = NODES.arrayNode().add(node);
            } else {
                ObjectNode object = NODES.objectNode();
                object.set("k", node);
                node = object;
            }
        }
        return node;
    }

    // ---- mutations of a valid document

    /**
     * A copy of {@code document} with a few random nodes replaced by hostile values, removed, or
     * given unknown siblings.
     */
    public static JsonNode mutateTree(Random random, JsonNode document) {
        JsonNode copy = document.deepCopy();
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            List<ContainerNode<?>> containers = new ArrayList<>();
            collectContainers(copy, containers);
            ContainerNode<?> target = containers.get(random.nextInt(containers.size()));
            if (target instanceof ObjectNode object) {
                List<String> names = new ArrayList<>();
                object.fieldNames().forEachRemaining(names::add);
                int action = random.nextInt(5);
                if (names.isEmpty() || action == 0) {
                    object.set(hostileString(random), hostileValue(random));
                } else if (action == 1) {
                    object.remove(names.get(random.nextInt(names.size())));
                } else {
                    object.set(names.get(random.nextInt(names.size())), hostileValue(random));
                }
            } else if (target instanceof ArrayNode array) {
                if (array.isEmpty() || random.nextBoolean()) {
                    array.add(hostileValue(random));
                } else {
                    array.set(random.nextInt(array.size()), hostileValue(random));
                }
            }
        }
        return copy;
    }

    private static void collectContainers(JsonNode node, List<ContainerNode<?>> into) {
        if (node instanceof ContainerNode<?> container) {
            into.add(container);
            for (Iterator<JsonNode> children = node.elements(); children.hasNext();) {
                JsonNode child = children.next();
                // Do not descend into what a previous mutation made huge or deep.
                if (into.size() < 200) {
                    collectContainers(child, into);
                }
            }
        }
    }

    /** Byte-level damage to a serialized document: flips, cuts, invalid UTF-8, duplicated keys, BOMs. */
    public static byte[] mutateBytes(Random random, byte[] original) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = original.clone();
        switch (random.nextInt(10)) {
            case 0 -> {
                for (int i = 0; i < 1 + random.nextInt(8) && bytes.length > 0; i++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                return bytes;
            }
            case 1 -> {
                return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            case 2 -> {
                int at = random.nextInt(bytes.length + 1);
                out.write(bytes, 0, at);
                byte[][] invalid = {{(byte) 0xC3}, {(byte) 0xFF, (byte) 0xFE}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                    {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {0}};
                byte[] bad = invalid[random.nextInt(invalid.length)];
                out.write(bad, 0, bad.length);
                out.write(bytes, at, bytes.length - at);
                return out.toByteArray();
            }
            case 3 -> {
                String text = new String(bytes, StandardCharsets.UTF_8);
                return duplicateAKey(random, text).getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> {
                byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
                out.write(bom, 0, bom.length);
                out.write(bytes, 0, bytes.length);
                return out.toByteArray();
            }
            case 5 -> {
                out.write(bytes, 0, bytes.length);
                byte[] tail = (random.nextBoolean() ? "{}" : " garbage \u0000").getBytes(StandardCharsets.UTF_8);
                out.write(tail, 0, tail.length);
                return out.toByteArray();
            }
            case 6 -> {
                byte[] noise = new byte[random.nextInt(4096)];
                random.nextBytes(noise);
                return noise;
            }
            case 7 -> {
                // Delete a random span: unbalanced braces, cut strings.
                int from = random.nextInt(bytes.length + 1);
                int to = Math.min(bytes.length, from + random.nextInt(40));
                out.write(bytes, 0, from);
                out.write(bytes, to, bytes.length - to);
                return out.toByteArray();
            }
            case 8 -> {
                // Nesting deeper than any parser limit, where a value was.
                int at = Math.max(0, new String(bytes, StandardCharsets.ISO_8859_1).indexOf(':') + 1);
                int depth = 2_000 + random.nextInt(20_000);
                out.write(bytes, 0, at);
                byte[] open = "[".repeat(depth).getBytes(StandardCharsets.US_ASCII);
                out.write(open, 0, open.length);
                byte[] close = "]".repeat(random.nextBoolean() ? depth : depth / 2).getBytes(StandardCharsets.US_ASCII);
                out.write(close, 0, close.length);
                out.write(bytes, at, bytes.length - at);
                return out.toByteArray();
            }
            default -> {
                String text = new String(bytes, StandardCharsets.UTF_8);
                return text.replace(":", random.nextBoolean() ? "::" : " : ")
                        .replace("\"", random.nextInt(4) == 0 ? "'" : "\"").getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    /** Repeats one {@code "name": } so that the key appears twice in its object with another value. */
    static String duplicateAKey(Random random, String json) {
        List<Integer> keyStarts = new ArrayList<>();
        for (int i = json.indexOf("\":"); i >= 0; i = json.indexOf("\":", i + 1)) {
            int start = json.lastIndexOf('"', i - 1);
            if (start >= 0) {
                keyStarts.add(start);
            }
        }
        if (keyStarts.isEmpty()) {
            return json;
        }
        int start = keyStarts.get(random.nextInt(keyStarts.size()));
        int colon = json.indexOf("\":", start) + 2;
        String key = json.substring(start, colon);
        String value = JSON.valueToTree(random.nextBoolean() ? hostileString(random) : random.nextInt()).toString();
        return json.substring(0, start) + key + value + "," + json.substring(start);
    }

    public static <T> T pick(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}

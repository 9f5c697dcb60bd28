package io.vmsnapshot.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;

/** Seeded random Jackson trees for JsonTextAgreesWithObjectMapperTest. */
final class RandomTrees {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 6;
    private static final String[] PIECES = {"", " ", "a", "key", "\"", "\\", "/", "\n", "\r\n", "\t", "\b", "\f",
        "\u0000", "\u001f", "\u007f", "\u0080", "\u00e9", "\u07ff", "\u0800", "\u4e2d\u6587", "\ufeff", "\uffff",
        "\u2028", "\ud83d\ude00", "\udbff\udfff", "\ud800", "\udfff", "\udc00\ud800", "null", "1e400", "</script>"};

    private RandomTrees() {
    }

    /** A tree of the nodes the reader makes, each number in the smallest node that holds it: it reads back the same. */
    static JsonNode value(Random random, int depth) {
        int kind = random.nextInt(depth >= MAX_DEPTH ? 8 : 10);
        return switch (kind) {
            case 0 -> NODES.textNode(string(random));
            case 1 -> NODES.numberNode(random.nextInt(3) == 0 ? random.nextInt(21) - 10 : random.nextInt());
            case 2 -> NODES.numberNode(random.nextBoolean() ? Integer.MAX_VALUE + 1L + (random.nextLong() >>> 2)
                    : Integer.MIN_VALUE - 1L - (random.nextLong() >>> 2));
            case 3 -> {
                BigInteger big = new BigInteger(64 + random.nextInt(200), random).setBit(64);
                yield NODES.numberNode(random.nextBoolean() ? big : big.negate());
            }
            case 4 -> NODES.numberNode(finiteDouble(random));
            case 5 -> NODES.booleanNode(random.nextBoolean());
            case 6 -> NODES.nullNode();
            case 7 -> NODES.textNode(random.nextBoolean() ? "" : "plain text " + random.nextInt(1000));
            case 8 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(6); i > 0; i--) {
                    array.add(value(random, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(6); i > 0; i--) {
                    object.set(string(random), value(random, depth + 1));
                }
                yield object;
            }
        };
    }

    /** A tree with nodes the reader never makes as well: what the handler builds in code and writes. */
    static JsonNode anyNodes(Random random, int depth) {
        int kind = random.nextInt(depth >= MAX_DEPTH ? 10 : 12);
        return switch (kind) {
            case 0 -> NODES.numberNode((short) random.nextInt());
            case 1 -> NODES.numberNode(random.nextInt(4) == 0 ? Float.NaN : Float.intBitsToFloat(random.nextInt()));
            case 2 -> NODES.numberNode((long) random.nextInt(100));
            case 3 -> NODES.numberNode(BigInteger.valueOf(random.nextInt()));
            case 4 -> NODES.numberNode(Double.longBitsToDouble(random.nextLong()));
            case 5 -> NODES.numberNode(new BigDecimal(new BigInteger(80, random), random.nextInt(40) - 20));
            case 6 -> {
                byte[] bytes = new byte[random.nextInt(10)];
                random.nextBytes(bytes);
                yield NODES.binaryNode(bytes);
            }
            case 7 -> MissingNode.getInstance();
            case 8, 9 -> value(random, MAX_DEPTH);
            case 10 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(6); i > 0; i--) {
                    array.add(anyNodes(random, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(6); i > 0; i--) {
                    object.set(string(random), anyNodes(random, depth + 1));
                }
                yield object;
            }
        };
    }

    private static double finiteDouble(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> random.nextBoolean() ? 0.0 : -0.0;
            case 1 -> random.nextInt(2000) - 1000.0;
            case 2 -> random.nextDouble();
            case 3 -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
            default -> {
                double value;
                do {
                    value = Double.longBitsToDouble(random.nextLong());
                } while (!Double.isFinite(value));
                yield value;
            }
        };
    }

    private static String string(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(5); i > 0; i--) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
            if (random.nextInt(6) == 0) {
                text.append((char) random.nextInt(0x10000));
            }
        }
        return text.toString();
    }
}

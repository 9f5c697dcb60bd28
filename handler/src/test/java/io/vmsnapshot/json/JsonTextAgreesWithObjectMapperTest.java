package io.vmsnapshot.json;

import static io.vmsnapshot.json.SameTree.assertSameTree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmsnapshot.testing.Fuzz;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * JsonText replaces ObjectMapper where start-up time counts, so it must read every valid document
 * into the tree ObjectMapper reads (same node classes, same key order) and write every tree to the
 * bytes ObjectMapper writes. ObjectMapper is the oracle here.
 */
class JsonTextAgreesWithObjectMapperTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectWriter PRETTY = JSON.writerWithDefaultPrettyPrinter();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Valid documents: the agent's and the handler's own files, and the corners of the grammar. */
    private static List<String> corpus() throws IOException {
        List<String> corpus = new ArrayList<>(List.of(
                // HandlerEnvironment.json, as the agent writes it
                "[{\"name\": \"Microsoft.Azure.RecoveryServices.VMSnapshotLinux\", \"seqNo\": \"0\", \"version\": 1.0,"
                        + " \"handlerEnvironment\": {\"logFolder\": \"/var/log/azure/Microsoft.Azure.RecoveryServices"
                        + ".VMSnapshotLinux\", \"configFolder\": \"/var/lib/waagent/Microsoft.Azure.RecoveryServices"
                        + ".VMSnapshotLinux-1.0.9300.0/config\", \"statusFolder\": \"/var/lib/waagent/x/status\","
                        + " \"heartbeatFile\": \"/var/lib/waagent/x/heartbeat.log\", \"deploymentid\":"
                        + " \"6f0b6c1e-0000-4000-8000-000000000000\", \"rolename\": \"vm1\", \"instance\": \"_vm1\","
                        + " \"hostResolverAddress\": null, \"eventsFolder\": \"/var/log/azure/x/events\"}}]\n",
                // a settings file, pretty and with CRLF
                "{\r\n  \"runtimeSettings\": [\r\n    {\r\n      \"handlerSettings\": {\r\n"
                        + "        \"protectedSettingsCertThumbprint\": \"910671996CC403AD610B496CF31F399E96B657F1\",\r\n"
                        + "        \"protectedSettings\": \"MIIBxQYJKoZIhvcNAQcDoIIBtjCCAbICAQAxggFWMIIBUgIBADA6+/==\",\r\n"
                        + "        \"publicSettings\": {\"commandToExecute\": \"snapshot\", \"taskId\": \"a-b-c\","
                        + " \"locale\": \"en-us\", \"logsBlobUri\": \"https://x.blob.core.windows.net/c/l?sv=2020&sig=abc%2F\","
                        + " \"statusBlobUri\": \"https://x/s\", \"commandStartTimeUTCTicks\": \"638700000000000000\","
                        + " \"vmType\": \"microsoft.compute/virtualmachines\", \"objectStr\": \"eyJ9\","
                        + " \"timeout\": 3600, \"maxSize\": 4398046511104}\r\n      }\r\n    }\r\n  ]\r\n}\r\n",
                // a status file
                "[{\"version\":\"1.0\",\"timestampUTC\":\"2026-12-08T02:18:08Z\",\"status\":{\"name\":"
                        + "\"Microsoft.Azure.RecoveryServices.VMSnapshotLinux\",\"operation\":\"Enable\",\"status\":\"error\","
                        + "\"code\":302,\"formattedMessage\":{\"lang\":\"zh-CN\",\"message\":\"\u672a\u627e\u5230\u524d\u811a\u672c"
                        + " \\\"/etc/azure/pre.sh\\\"\\n\"},\"substatus\":[{\"name\":\"VMSnapshotLinux\",\"status\":\"success\","
                        + "\"code\":0,\"formattedMessage\":{\"lang\":\"en-US\",\"message\":\"{\\\"freeze\\\":12}\"}}]}}]",
                // tasks.json
                "{\"version\":1,\"tasks\":[{\"taskId\":\"t-1\",\"status\":\"SUCCEEDED\",\"finishedAtMillis\":1796090288000,"
                        + "\"code\":0},{\"taskId\":\"t-2\",\"status\":\"FAILED\",\"finishedAtMillis\":1796090289000,\"code\":-50}]}",
                // numbers of every kind
                "[0, -0, 1, -1, 7, 2147483647, 2147483648, -2147483648, -2147483649, 9223372036854775807,"
                        + " 9223372036854775808, -9223372036854775808, -9223372036854775809, 1000000000000000000,"
                        + " 123456789012345678901234567890, -123456789012345678901234567890]",
                "[0.0, -0.0, 1.0, 1e2, 1E2, 1e+2, 1e-2, 1E-2, 0e0, -0e-0, 0.5, 3.141592653589793, 1.7976931348623157e308,"
                        + " 4.9e-324, 2.2250738585072014E-308, 1e400, -1e400, 1e-400, 1e0000000000000000000000001,"
                        + " 100000000000000000000000.5, 12345678901234567890.0, 0.1, 0.30000000000000004, 1.0E21, 2e22]",
                "1" + "2".repeat(999),
                "-" + "9".repeat(1000),
                "0." + "3".repeat(900),
                "17", "-0", "1.5", "\"x\"", "true", "false", "null", "{}", "[]", " [ ] ", "{ }",
                // strings: escapes, unicode, astral characters, lone surrogates
                "[\"\", \"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"\\u0000\\u001f\\u007F\\u0080\\u00e9\\u4E2D\\uFFFF\\uFEFF\","
                        + " \"\\uD83D\\uDE00\", \"\\ud83d\\ude00x\", \"\\ud800\", \"\\udc00\", \"a\\udfff\\ud800b\","
                        + " \"\u00e9\u4e2d\u6587\ud83d\ude00\ud800\udc00\", \"\u007f\u0085\u00a0\u2028\u2029\ufeff\","
                        + " \"</script>\", \"a/b\", \"'single'\", \"tab\\there\"]",
                "{\"\u00e9\": 1, \"\\u00e9\\u00e9\": 2, \"\": 3, \"\\\"\": 4, \"\ud83d\ude00\": [\"\ud83d\ude00\"]}",
                // duplicate keys: the last value, in the first one's place
                "{\"a\": 1, \"b\": 2, \"a\": 3}",
                "{\"a\": {\"x\": 1}, \"a\": [1, 2], \"c\": {\"k\": 1, \"k\": null, \"k\": \"last\"}}",
                // whitespace of every kind around and between tokens
                " \t\r\n{ \"a\" :\t[ 1 ,\n2\r,\r\n3 ] , \"b\":{ } }\t\r\n ",
                // deep-ish nesting, up to ObjectMapper's limit
                "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH),
                "{\"a\":".repeat(500) + "[1, {\"b\": [true]}]" + "}".repeat(500),
                "[[[[{\"a\": [[{\"b\": {\"c\": [[[1], [2.5], [\"x\"]]]}}]]}]]]]",
                // a big flat document
                bigDocument(),
                // empty and whitespace-only: no value, as readTree says
                "", " ", "\n\r\t "));
        try (InputStream training = JsonTextAgreesWithObjectMapperTest.class.getResourceAsStream(
                "/io/vmsnapshot/training/0.settings")) {
            corpus.add(new String(training.readAllBytes(), StandardCharsets.UTF_8));
        }
        return corpus;
    }

    private static String bigDocument() {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < 2000; i++) {
            text.append(i == 0 ? "" : ",").append("\"key").append(i).append("\":[").append(i).append(",")
                    .append(i * 1.25).append(",\"v\\u00e9").append(i).append("\",").append(i % 2 == 0).append("]");
        }
        return text.append("}").toString();
    }

    @Test
    void everyValidDocumentParsesToTheTreeObjectMapperReads() throws Exception {
        for (String document : corpus()) {
            byte[] utf8 = document.getBytes(StandardCharsets.UTF_8);
            assertSameTree(oracle(JSON.readTree(utf8)), JsonText.parse(utf8), shown(document));
            assertSameTree(oracle(JSON.readTree(document)), JsonText.parse(document), shown(document));
        }
    }

    @Test
    void aByteOrderMarkFirstIsReadAsObjectMapperReadsIt() throws Exception {
        for (String document : corpus()) {
            if (document.isEmpty()) {
                continue; // ObjectMapper fails on a byte-order mark alone; JsonText finds no value, as without one
            }
            byte[] utf8 = ("\uFEFF" + document).getBytes(StandardCharsets.UTF_8);
            assertSameTree(oracle(JSON.readTree(utf8)), JsonText.parse(utf8), shown(document));
            assertSameTree(oracle(JSON.readTree(utf8)), JsonText.parse("\uFEFF" + document), shown(document));
        }
    }

    @Test
    void writeGivesTheBytesObjectMapperWritesForEveryDocument() throws Exception {
        for (String document : corpus()) {
            JsonNode tree = JsonText.parse(document);
            assertArrayEquals(JSON.writeValueAsBytes(tree), JsonText.write(tree), shown(document));
            // writeValueAsBytes's text, not writeValueAsString's: that one leaves astral characters unescaped.
            assertEquals(new String(JSON.writeValueAsBytes(tree), StandardCharsets.UTF_8), JsonText.writeString(tree),
                    shown(document));
        }
    }

    @Test
    void writePrettyGivesTheBytesOfObjectMappersDefaultPrettyPrinter() throws Exception {
        for (String document : corpus()) {
            JsonNode tree = JsonText.parse(document);
            assertArrayEquals(PRETTY.writeValueAsBytes(tree), JsonText.writePretty(tree), shown(document));
        }
    }

    @Test
    void nodesTheReaderNeverMakesAreWrittenAsObjectMapperWritesThemToo() throws Exception {
        ObjectNode tree = NODES.objectNode();
        tree.put("short", (short) -7).put("float", 3.25f).put("floatNaN", Float.NaN).put("longSmall", 5L)
                .put("nan", Double.NaN).put("inf", Double.POSITIVE_INFINITY).put("minusInf", Double.NEGATIVE_INFINITY)
                .put("decimal", new BigDecimal("1E+3")).put("decimalPlain", new BigDecimal("-12.50"))
                .put("binary", new byte[] {0, 1, 2, (byte) 0xFF, (byte) 0xFE}).put("binaryOdd", new byte[] {7});
        tree.set("bigSmall", NODES.numberNode(BigInteger.TEN));
        tree.set("missing", MissingNode.getInstance());
        tree.putArray("holder").add(MissingNode.getInstance()).add(NODES.binaryNode(new byte[0]));
        assertArrayEquals(JSON.writeValueAsBytes(tree), JsonText.write(tree));
        assertArrayEquals(PRETTY.writeValueAsBytes(tree), JsonText.writePretty(tree));
        assertArrayEquals(JSON.writeValueAsBytes(MissingNode.getInstance()), JsonText.write(MissingNode.getInstance()));
    }

    @Test
    void randomTreesRoundTripAndAreWrittenAsObjectMapperWritesThem() throws Exception {
        for (int i = 0; i < 3000; i++) {
            Random random = new Random(20261208L * 1_000_003L + i);
            JsonNode tree = RandomTrees.value(random, 0);
            String label = "random tree seed 20261208 iteration " + i;
            byte[] written = JsonText.write(tree);
            assertArrayEquals(JSON.writeValueAsBytes(tree), written, label);
            assertArrayEquals(PRETTY.writeValueAsBytes(tree), JsonText.writePretty(tree), label);
            assertSameTree(tree, JsonText.parse(written), label);
            assertSameTree(tree, JsonText.parse(JsonText.writePretty(tree)), label);
        }
    }

    @Test
    void treesOfEveryNodeKindAreWrittenAsObjectMapperWritesThem() throws Exception {
        for (int i = 0; i < 1000; i++) {
            Random random = new Random(77L * 1_000_003L + i);
            JsonNode tree = RandomTrees.anyNodes(random, 0);
            assertArrayEquals(JSON.writeValueAsBytes(tree), JsonText.write(tree), "seed 77 iteration " + i);
            assertArrayEquals(PRETTY.writeValueAsBytes(tree), JsonText.writePretty(tree), "seed 77 iteration " + i);
        }
    }

    /**
     * Damaged documents (cut, flipped bytes, invalid UTF-8, duplicated keys, BOMs, deep nesting):
     * JsonText is stricter than ObjectMapper, never looser, so whatever it accepts ObjectMapper
     * reads into the same tree; and it fails with nothing but MalformedJsonException.
     */
    @Test
    void aDamagedDocumentIsEitherReadAsObjectMapperReadsItOrMalformed() throws Exception {
        List<byte[]> originals = new ArrayList<>();
        for (String document : corpus()) {
            if (!document.isBlank() && document.length() < 20_000) {
                originals.add(document.getBytes(StandardCharsets.UTF_8));
            }
        }
        Fuzz.run("JsonText.parse", 8259, Fuzz.iterations(3000), (random, iteration) -> {
            byte[] damaged = Fuzz.mutateBytes(random, Fuzz.pick(random, originals));
            JsonNode ours = JsonText.parse(damaged);
            assertSameTree(oracle(JSON.readTree(damaged)), ours, "damaged document " + iteration);
        }, MalformedJsonException.class);
    }

    /** readTree gives null for no content in some versions and MissingNode in others; JsonText always the latter. */
    private static JsonNode oracle(JsonNode read) {
        return read == null ? MissingNode.getInstance() : read;
    }

    private static String shown(String document) {
        return document.length() <= 120 ? document : document.substring(0, 120) + "... (" + document.length() + " chars)";
    }
}

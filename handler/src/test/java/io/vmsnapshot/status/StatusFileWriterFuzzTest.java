package io.vmsnapshot.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.testing.Fuzz;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Whatever ends up in a status report — script output, settings values, exception texts, any size —
 * the file written is one the agent accepts (issue 7 §6, "never an invalid status file"): strict
 * UTF-8, one JSON value, the agent's shape, lowercase status values, integer codes, a
 * formattedMessage everywhere, at most 128 KiB; and it reads back as the report's status.
 */
class StatusFileWriterFuzzTest {
    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> STATUS_VALUES = Set.of("transitioning", "warning", "error", "success");

    @Test
    void write_hostileReports_alwaysGiveAFileTheAgentAccepts() throws Exception {
        try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
            Path folder = Files.createDirectories(fs.getPath("/base/status"));
            StatusFileWriter writer = new StatusFileWriter(folder);
            Fuzz.run("StatusFileWriter", 31, Fuzz.iterations(1000), (random, i) -> {
                StatusReport report = hostileReport(random);
                int seq = random.nextInt(1000);

                writer.write(seq, report);

                byte[] bytes = Files.readAllBytes(writer.statusFile(seq));
                checkAgentRules(bytes);
                assertEquals(report.status(), writer.read(seq).orElseThrow().status());
            });
        }
    }

    private static StatusReport hostileReport(Random random) {
        List<Substatus> substatus = new ArrayList<>();
        // Real reports have one substatus; many small ones test the dropping, few large ones the cutting.
        boolean many = random.nextInt(20) == 0;
        int count = many ? 100 + random.nextInt(3000) : random.nextInt(3);
        for (int i = 0; i < count; i++) {
            substatus.add(new Substatus(many ? Fuzz.hostileString(random) : text(random), type(random), random.nextInt(),
                    new FormattedMessage(lang(random),
                            many ? "m".repeat(random.nextInt(200)) : text(random))));
        }
        return new StatusReport("Microsoft.Azure.RecoveryServices.VMSnapshotLinux",
                random.nextBoolean() ? "Enable" : "Worker", type(random), random.nextInt(),
                new FormattedMessage(lang(random), text(random)), substatus,
                Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE), random.nextInt(1_000_000_000)));
    }

    /** The language tag comes from the request's locale, whatever the service sent there. */
    private static String lang(Random random) {
        String locale = Fuzz.pick(random, List.of("en-us", "zh-CN", "zh-cn", "", Fuzz.hostileString(random)));
        return Messages.forLocale(locale).languageTag();
    }

    private static StatusType type(Random random) {
        return StatusType.values()[random.nextInt(StatusType.values().length)];
    }

    /** Script output, settings values and exception texts: anything, of any length. */
    private static String text(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> Fuzz.hostileString(random);
            case 1 -> "\uD800".repeat(random.nextInt(40_000));
            case 2 -> randomChars(random, random.nextInt(100_000));
            case 3 -> Fuzz.hostileValue(random).toString();
            case 4 -> "\u0001\"\\\n".repeat(random.nextInt(50_000));
            default -> "";
        };
    }

    private static String randomChars(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) random.nextInt(0x10000));
        }
        return text.toString();
    }

    /** The agent's parser (docs/agent-contract.md §9) and the project's stricter rules (§13). */
    private static void checkAgentRules(byte[] bytes) throws Exception {
        assertTrue(bytes.length <= StatusFileWriter.MAX_FILE_BYTES, "size " + bytes.length);
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
        JsonNode root = STRICT.readTree(bytes);
        assertTrue(root.isArray() && root.size() == 1 && root.get(0).isObject(), "one-element array");
        JsonNode status = root.get(0).get("status");
        assertTrue(status != null && status.isObject(), "status object");
        checkEntry(status);
        JsonNode substatus = status.get("substatus");
        assertTrue(substatus != null && substatus.isArray(), "substatus list");
        for (JsonNode item : substatus) {
            assertTrue(item.isObject() && item.path("name").isTextual(), "substatus name");
            checkEntry(item);
        }
    }

    private static void checkEntry(JsonNode entry) {
        assertTrue(STATUS_VALUES.contains(entry.path("status").asText("?")), "status value " + entry.get("status"));
        assertTrue(entry.path("code").isIntegralNumber() && entry.path("code").canConvertToInt(), "integer code");
        JsonNode message = entry.get("formattedMessage");
        assertTrue(message != null && message.isObject() && message.path("lang").isTextual()
                && message.path("message").isTextual(), "formattedMessage");
    }
}

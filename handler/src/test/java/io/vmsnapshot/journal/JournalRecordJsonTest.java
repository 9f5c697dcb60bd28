package io.vmsnapshot.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.json.MalformedJsonException;
import io.vmsnapshot.process.ProcessTrace;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JournalRecordJsonTest {
    private static final String MARKER = "0123456789abcdef";
    private static final JournalRecord RECORD = new JournalRecord(3, "t-3", "zh-CN", 99, "2026-08-06T10:00:00Z",
            List.of(JournalRecord.PRE_STARTED), List.of(new ProcessTrace(MARKER, 5, 6)));

    @Test
    void aJournalIsWrittenAsDataBindingWroteIt() throws Exception {
        assertArrayEquals(new ObjectMapper().writeValueAsBytes(RECORD), JournalRecordJson.write(RECORD));
    }

    @Test
    void aJournalThatDataBindingWroteReadsTheSame() throws Exception {
        assertEquals(RECORD, JournalRecordJson.read(new ObjectMapper().writeValueAsBytes(RECORD)));
    }

    @Test
    void aJournalFromBeforeScriptsWereRecordedReadsWithNoScripts() throws Exception {
        JournalRecord read = JournalRecordJson.read(bytes("{\"sequenceNumber\":3,\"taskId\":\"t\",\"locale\":\"\","
                + "\"workerPid\":9,\"startedAt\":\"s\",\"events\":[\"pre-started\"]}"));

        assertEquals(new JournalRecord(3, "t", "", 9, "s", List.of("pre-started"), List.of()), read);
    }

    @Test
    void unknownFieldsAreIgnoredAndAbsentOrNullNumbersReadAsZero() throws Exception {
        JournalRecord read = JournalRecordJson.read(bytes("{\"taskId\":\"t\",\"locale\":\"\",\"startedAt\":\"s\","
                + "\"events\":[],\"scripts\":[{\"marker\":\"" + MARKER + "\"}],\"sequenceNumber\":null,"
                + "\"workerPid\":\"7\",\"addedLater\":{\"x\":[1]}}"));

        assertEquals(new JournalRecord(0, "t", "", 7, "s", List.of(), List.of(ProcessTrace.beforeStart(MARKER))), read);
    }

    @Test
    void aJournalWithoutWhatTheRecordNeedsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> JournalRecordJson.read(bytes(
                "{\"locale\":\"\",\"startedAt\":\"s\",\"events\":[]}")));
        assertThrows(IllegalArgumentException.class, () -> JournalRecordJson.read(bytes(
                "{\"taskId\":\"t\",\"locale\":\"\",\"startedAt\":\"s\"}")));
        assertThrows(IllegalArgumentException.class, () -> JournalRecordJson.read(bytes(
                "{\"taskId\":\"t\",\"locale\":\"\",\"startedAt\":\"s\",\"events\":[],\"scripts\":[{\"marker\":\"x\"}]}")));
        assertThrows(IllegalArgumentException.class, () -> JournalRecordJson.read(bytes("[]")));
    }

    @Test
    void textThatIsNotJsonIsMalformed() {
        assertThrows(MalformedJsonException.class, () -> JournalRecordJson.read(bytes("{not json")));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

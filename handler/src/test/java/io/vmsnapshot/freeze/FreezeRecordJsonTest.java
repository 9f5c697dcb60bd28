package io.vmsnapshot.freeze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.json.MalformedJsonException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreezeRecordJsonTest {
    private static final FreezeRecord RECORD = new FreezeRecord(12, 34, "2026-01-01T00:00:00Z", List.of("/data", "/srv"));

    @Test
    void aRecordIsWrittenAsDataBindingWroteIt() throws Exception {
        assertArrayEquals(new ObjectMapper().writeValueAsBytes(RECORD), FreezeRecordJson.write(RECORD));
        assertEquals("{\"helperPid\":12,\"helperStartTicks\":34,\"createdAt\":\"2026-01-01T00:00:00Z\","
                + "\"mountPoints\":[\"/data\",\"/srv\"]}", new String(FreezeRecordJson.write(RECORD), StandardCharsets.UTF_8));
    }

    @Test
    void aRecordThatDataBindingWroteReadsTheSame() throws Exception {
        assertEquals(RECORD, FreezeRecordJson.read(new ObjectMapper().writeValueAsBytes(RECORD)));
    }

    @Test
    void absentOrNullNumbersReadAsZeroAndNumbersInStringsAreRead() throws Exception {
        FreezeRecord read = FreezeRecordJson.read(bytes(
                "{\"helperPid\":\"12\",\"helperStartTicks\":null,\"createdAt\":\"c\",\"mountPoints\":[\"/a\"]}"));

        assertEquals(new FreezeRecord(12, 0, "c", List.of("/a")), read);
    }

    @Test
    void aFieldTheRecordDoesNotKnowIsRefusedAsDataBindingRefusedIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FreezeRecordJson.read(bytes(
                "{\"helperPid\":1,\"createdAt\":\"c\",\"mountPoints\":[],\"extra\":1}")));

        assertEquals("unknown field 'extra'", e.getMessage());
    }

    @Test
    void aRecordWithoutItsMountsOrCreationTimeOrAPositivePidIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FreezeRecordJson.read(bytes("{\"helperPid\":1,\"createdAt\":\"c\"}")));
        assertThrows(IllegalArgumentException.class, () -> FreezeRecordJson.read(bytes("{\"helperPid\":1,\"mountPoints\":[]}")));
        assertThrows(IllegalArgumentException.class, () -> FreezeRecordJson.read(bytes("{\"createdAt\":\"c\",\"mountPoints\":[]}")));
        assertThrows(IllegalArgumentException.class, () -> FreezeRecordJson.read(bytes("null")));
        assertThrows(IllegalArgumentException.class, () -> FreezeRecordJson.read(bytes("")));
    }

    @Test
    void textThatIsNotJsonIsMalformed() {
        assertThrows(MalformedJsonException.class, () -> FreezeRecordJson.read(bytes("{not json")));
    }

    @Test
    void theStoreNamesTheFileAndTheProblemOfAnUnreadableRecord(@TempDir Path run)
            throws Exception {
        FreezeRecordStore store = new FreezeRecordStore(run);
        Files.writeString(store.file(), "{\"helperPid\":1,\"createdAt\":\"c\"}");

        HandlerException e = assertThrows(HandlerException.class, store::read);

        assertTrue(e.detail().contains(store.file() + " is unreadable (no list 'mountPoints'); check that no file system"
                + " is frozen"), e.detail());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

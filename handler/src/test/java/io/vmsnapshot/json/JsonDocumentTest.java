package io.vmsnapshot.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonDocumentTest {
    @Test
    void aDocumentNamesEachKeyRepeatedWithinOneObjectOnce_inTheOrderTheyRepeat_andKeepsTheLastValue()
            throws MalformedJsonException {
        JsonDocument document = JsonText.parseDocument(
                "{\"b\":1,\"a\":{\"x\":1,\"x\":2},\"b\":3,\"c\":[{\"x\":0}],\"b\":4}".getBytes(StandardCharsets.UTF_8));

        assertEquals(List.of("x", "b"), List.copyOf(document.repeatedKeys()));
        assertEquals(4, document.root().get("b").intValue());
        assertEquals(2, document.root().get("a").get("x").intValue());
    }

    @Test
    void theSameKeyInTwoObjectsIsNoRepetition() throws MalformedJsonException {
        JsonDocument document = JsonText.parseDocument("[{\"x\":1},{\"x\":2}]".getBytes(StandardCharsets.UTF_8));

        assertEquals(List.of(), List.copyOf(document.repeatedKeys()));
    }
}

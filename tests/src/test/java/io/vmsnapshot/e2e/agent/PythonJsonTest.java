package io.vmsnapshot.e2e.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PythonJsonTest {
    @Test
    void dumps_usesPythonsDefaultSeparatorsAndAsciiEscapes() throws Exception {
        String text = PythonJson.dumps(new ObjectMapper().readTree(
                "{\"a\":[1,2.0,null,true],\"b\":{\"c\":\"\u00e9\\\"\\n\"}}"));
        assertEquals("{\"a\": [1, 2.0, null, true], \"b\": {\"c\": \"\\u00e9\\\"\\n\"}}", text);
    }
}

package io.vmsnapshot.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageFileTest {
    @ParameterizedTest
    @ValueSource(strings = {"messages.properties", "messages_zh_CN.properties"})
    void everyMessageFileReadsAsJavaUtilPropertiesReadsIt(String name) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Messages.class.getResourceAsStream(name)) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        Map<String, String> expected = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> expected.put(key, properties.getProperty(key)));

        Map<String, String> read = MessageFile.read(name);

        assertEquals(expected, read);
        assertTrue(read.size() > 100, "the whole catalogue, not a part of it: " + read.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "# a comment\n! another\n\n  SUCCESS.message = Enable Succeeded.  \r\nA.action=\nB=x\\ty\\nz\\u00e9\\\\ \\= q\nC=a=b:c",
            "only=one"})
    void theSubsetTheFilesUseReadsAsPropertiesReadsIt(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        Map<String, String> expected = new HashMap<>();
        properties.stringPropertyNames().forEach(key -> expected.put(key, properties.getProperty(key)));

        assertEquals(expected, MessageFile.parse(text, "test.properties"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"no separator", "key:value", "a key=value", "continued=first \\\n  second", "bad=\\u12"})
    void aLineOutsideTheSubsetFailsLoudlyInsteadOfReadingDifferently(String text) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MessageFile.parse(text, "test.properties"));
        assertTrue(e.getMessage().startsWith("test.properties line "), e.getMessage());
    }
}

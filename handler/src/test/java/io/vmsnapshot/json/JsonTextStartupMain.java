package io.vmsnapshot.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/**
 * The child JVM of {@link JsonTextStartupTest}: reads and writes documents with every kind of
 * value JsonText makes (and the errors it raises), and nothing else, so that the classes the child
 * initialises are the ones JsonText needs.
 */
public final class JsonTextStartupMain {
    private JsonTextStartupMain() {
    }

    public static void main(String[] args) throws Exception {
        byte[] document = ("\uFEFF{\"handlerSettings\": {\"publicSettings\": {\"taskId\": \"t-1\", \"locale\": \"zh-cn\\u4e2d\","
                + " \"size\": 2147483648, \"huge\": 123456789012345678901234567890, \"ratio\": -1.5e-3, \"zero\": -0.0,"
                + " \"ok\": true, \"none\": null, \"list\": [1, 2.0, \"\\ud83d\\ude00\\n\", [], {}]},"
                + " \"protectedSettings\": \"MIIB\"}}").getBytes(StandardCharsets.UTF_8);
        JsonNode fromBytes = JsonText.parse(document);
        JsonNode fromText = JsonText.parse(new String(document, StandardCharsets.UTF_8));
        byte[] compact = JsonText.write(fromBytes);
        byte[] pretty = JsonText.writePretty(fromText);
        String again = JsonText.writeString(JsonText.parse(pretty));
        int errors = 0;
        for (byte[] bad : new byte[][] {{'[', '1', ','}, {'"', (byte) 0xFF, '"'}, "01".getBytes(StandardCharsets.US_ASCII)}) {
            try {
                JsonText.parse(bad);
            } catch (MalformedJsonException e) {
                errors += e.line();
            }
        }
        System.out.println("compact=" + compact.length + " pretty=" + pretty.length + " again=" + again.length()
                + " errors=" + errors);
    }
}

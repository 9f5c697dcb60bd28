package io.vmsnapshot.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reason JsonText exists is what it does not initialise: ObjectMapper's construction and
 * jackson-core's parser base (whose static initialiser initialises BigDecimal, several milliseconds
 * alone) cost enable a third of its time. A fresh JVM that reads and writes documents through
 * JsonText logs every class it initialises; none of those may be among them. A change that
 * brings one back fails here, not in a benchmark read weeks later.
 */
class JsonTextStartupTest {
    private static final List<String> FORBIDDEN = List.of(
            "java/math/BigDecimal'",
            "com/fasterxml/jackson/databind/ObjectMapper",
            "com/fasterxml/jackson/databind/json/JsonMapper",
            "com/fasterxml/jackson/core/JsonFactory",
            "com/fasterxml/jackson/core/base/ParserMinimalBase",
            "com/fasterxml/jackson/core/base/GeneratorBase");

    @Test
    void readingAndWritingDocumentsInitialisesNeitherObjectMapperNorJacksonsParserNorBigDecimal(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path log = dir.resolve("class-init.log");
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Xlog:class+init=info:file=" + log, "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), JsonTextStartupMain.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end");
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("errors=3"), output);

        List<String> initialised = Files.readAllLines(log).stream().filter(line -> line.contains("Initializing '"))
                .map(line -> line.substring(line.indexOf("Initializing '") + "Initializing '".length())).toList();
        // The log is what it seems: JsonText's own classes are in it, so an absent name means not initialised.
        assertTrue(initialised.stream().anyMatch(name -> name.startsWith("io/vmsnapshot/json/JsonReader'")), output);
        assertTrue(initialised.stream().anyMatch(name -> name.startsWith("io/vmsnapshot/json/JsonWriter'")), output);
        assertEquals(List.of(), initialised.stream()
                .filter(name -> FORBIDDEN.stream().anyMatch(name::startsWith)).toList());
    }
}

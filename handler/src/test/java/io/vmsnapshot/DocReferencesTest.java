package io.vmsnapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every "docs/&lt;name&gt;.md" in a code comment names a document in this repository's docs/, and every
 * "§N" after it a section heading of that document.
 */
class DocReferencesTest {
    private static final Path REPO = Path.of("..");
    private static final Pattern REFERENCE = Pattern.compile("docs/([\\w-]+\\.md)((?:(?!docs/)[^)\\n])*)");
    private static final Pattern SECTION = Pattern.compile("§(\\d+(?:\\.\\d+)?)");

    @Test
    void everySectionCitedInTheCodeIsADocsHeading() throws IOException {
        List<String> unresolved = new ArrayList<>();
        int cited = 0;
        for (Path source : sources()) {
            Matcher reference = REFERENCE.matcher(Files.readString(source, StandardCharsets.UTF_8));
            while (reference.find()) {
                Path doc = REPO.resolve("docs").resolve(reference.group(1));
                if (!Files.exists(doc)) {
                    unresolved.add(REPO.relativize(source) + ": " + reference.group(1) + " does not exist");
                    continue;
                }
                String text = Files.readString(doc, StandardCharsets.UTF_8);
                Matcher section = SECTION.matcher(reference.group(2));
                while (section.find()) {
                    cited++;
                    String number = Pattern.quote(section.group(1));
                    if (!Pattern.compile("(?m)^#+ " + number + "\\.? ").matcher(text).find()) {
                        unresolved.add(REPO.relativize(source) + ": " + reference.group(1) + " §" + section.group(1));
                    }
                }
            }
        }
        assertFalse(cited == 0, "no reference found: is the working directory the handler module?");
        assertEquals(List.of(), unresolved);
    }

    private static List<Path> sources() throws IOException {
        List<Path> sources = new ArrayList<>();
        for (String root : List.of("handler/src", "tests/src")) {
            Path dir = REPO.resolve(root);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
                }
            }
        }
        return sources;
    }
}

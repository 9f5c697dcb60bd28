package io.vmsnapshot.prepost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plugin host is a separately verified unit: at run time its classes exist only in the
 * verified jar. Scans the compiled classes' constant pools (class references are stored as
 * {@code io/vmsnapshot/...} strings) to hold the boundary in both directions.
 */
class PackageBoundaryTest {
    private static final Path CLASSES = Path.of("target/classes");
    private static final String VERIFIED = "io/vmsnapshot/pluginhost/";
    private static final Set<String> ALLOWED_FROM_PLUGIN_HOST = Set.of("io/vmsnapshot/pluginhost/",
            "io/vmsnapshot/prepost/", "io/vmsnapshot/process/", "io/vmsnapshot/error/", "io/vmsnapshot/logging/",
            "io/vmsnapshot/json/");
    private static final Pattern PROJECT_REFERENCE = Pattern.compile("io/vmsnapshot/[A-Za-z0-9_/$]+");

    @Test
    void handlerClasses_neverReferenceThePluginHostPackage() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path file : classFiles()) {
            if (!CLASSES.relativize(file).toString().startsWith(VERIFIED) && text(file).contains(VERIFIED)) {
                offenders.add(CLASSES.relativize(file).toString());
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void pluginHostClasses_referenceOnlyTheAllowedPackages() throws IOException {
        List<String> offenders = new ArrayList<>();
        List<Path> pluginHost = classFiles().stream()
                .filter(file -> CLASSES.relativize(file).toString().startsWith(VERIFIED)).toList();
        assertFalse(pluginHost.isEmpty());
        for (Path file : pluginHost) {
            Matcher matcher = PROJECT_REFERENCE.matcher(text(file));
            while (matcher.find()) {
                String reference = matcher.group();
                if (ALLOWED_FROM_PLUGIN_HOST.stream().noneMatch(reference::startsWith)) {
                    offenders.add(CLASSES.relativize(file) + " -> " + reference);
                }
            }
        }
        assertEquals(List.of(), offenders);
    }

    private static List<Path> classFiles() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            return files.filter(file -> file.toString().endsWith(".class")).sorted().toList();
        }
    }

    private static String text(Path classFile) throws IOException {
        return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
    }
}

package io.vmsnapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each package's {@code package-info.java} says which packages it may use ("May use: ..."); this
 * holds the compiled classes to it, reading class references from their constant pools as
 * PackageBoundaryTest does. The lists have no cycle, so neither has the code.
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("src/main/java/io/vmsnapshot");
    private static final Path CLASSES = Path.of("target/classes/io/vmsnapshot");
    private static final String ROOT = "(root)";
    private static final Pattern MAY_USE = Pattern.compile("May use:([^.]*)\\.");
    private static final Pattern REFERENCE = Pattern.compile("io/vmsnapshot/(?:([a-z]+)/|([A-Z]))");

    @Test
    void everyPackageSaysWhatItHoldsAndWhatItMayUse() throws IOException {
        for (String pkg : packages()) {
            Path info = directory(SOURCES, pkg).resolve("package-info.java");
            assertTrue(Files.exists(info), "no package-info.java in " + pkg);
            assertTrue(MAY_USE.matcher(Files.readString(info)).find(), pkg + "'s package-info says no 'May use:'");
        }
    }

    @Test
    void everyClassUsesOnlyWhatItsPackageMayUse() throws IOException {
        Map<String, Set<String>> allowed = allowed();
        List<String> offenders = new ArrayList<>();
        for (String pkg : packages()) {
            for (Path file : classFiles(pkg)) {
                Matcher matcher = REFERENCE.matcher(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                Set<String> used = new TreeSet<>();
                while (matcher.find()) {
                    used.add(matcher.group(1) != null ? matcher.group(1) : ROOT);
                }
                used.remove(pkg);
                used.removeAll(allowed.get(pkg));
                used.forEach(other -> offenders.add(pkg + "/" + file.getFileName() + " -> " + other));
            }
        }
        assertEquals(List.of(), offenders);
    }

    @Test
    void theMayUseListsHaveNoCycle() throws IOException {
        Map<String, Set<String>> allowed = allowed();
        allowed.get(ROOT).clear(); // the wiring root uses everything and nothing uses it
        for (String start : allowed.keySet()) {
            assertTrue(!reaches(allowed, start, start, new TreeSet<>()), start + " can reach itself");
        }
    }

    private static boolean reaches(Map<String, Set<String>> graph, String from, String target, Set<String> seen) {
        for (String next : graph.getOrDefault(from, Set.of())) {
            if (next.equals(target) || (seen.add(next) && reaches(graph, next, target, seen))) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Set<String>> allowed() throws IOException {
        List<String> packages = packages();
        Map<String, Set<String>> allowed = new TreeMap<>();
        for (String pkg : packages) {
            String info = Files.readString(directory(SOURCES, pkg).resolve("package-info.java"))
                    .replaceAll("\\n\\s*\\*", " ");
            Matcher matcher = MAY_USE.matcher(info);
            assertTrue(matcher.find(), pkg);
            String list = matcher.group(1).strip();
            Set<String> uses = new TreeSet<>();
            if (list.startsWith("every package")) {
                uses.addAll(packages);
            } else if (!list.startsWith("nothing")) {
                Arrays.stream(list.split(",")).map(String::strip).forEach(uses::add);
            }
            assertTrue(packages.containsAll(uses), pkg + " may use an unknown package: " + uses);
            allowed.put(pkg, uses);
        }
        return allowed;
    }

    private static List<String> packages() throws IOException {
        try (Stream<Path> dirs = Files.list(SOURCES)) {
            List<String> packages = dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
                    .sorted().collect(Collectors.toCollection(ArrayList::new));
            packages.add(ROOT);
            return packages;
        }
    }

    private static Path directory(Path base, String pkg) {
        return pkg.equals(ROOT) ? base : base.resolve(pkg);
    }

    private static List<Path> classFiles(String pkg) throws IOException {
        try (Stream<Path> files = Files.list(directory(CLASSES, pkg))) {
            return files.filter(f -> f.toString().endsWith(".class")).sorted().toList();
        }
    }
}

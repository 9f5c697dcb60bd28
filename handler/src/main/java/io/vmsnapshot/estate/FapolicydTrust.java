package io.vmsnapshot.estate;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * fapolicyd's file trust database: {@code /etc/fapolicyd/fapolicyd.trust} and every file of
 * {@code /etc/fapolicyd/trust.d/}, one {@code <path> <size> <sha256>} per line, what
 * {@code fapolicyd-cli --file add} writes. Its other trust source, the RPM database, never covers
 * this package: the agent unzips it, no package manager installs it.
 */
public final class FapolicydTrust {
    private final Path trustFile;
    private final Path trustDir;

    /** @param etcRoot normally {@code /etc} */
    public FapolicydTrust(Path etcRoot) {
        Path config = Objects.requireNonNull(etcRoot, "etcRoot").resolve("fapolicyd");
        this.trustFile = config.resolve("fapolicyd.trust");
        this.trustDir = config.resolve("trust.d");
    }

    /**
     * The files of {@code executables} that the database does not trust: not listed, or listed
     * with another size (fapolicyd then denies them as tampered with).
     */
    public List<Path> untrusted(List<Path> executables) {
        Map<String, Long> trusted = entries();
        List<Path> untrusted = new ArrayList<>();
        for (Path file : executables) {
            Long size = trusted.get(file.toString());
            if (size == null || (size >= 0 && size != sizeOf(file))) {
                untrusted.add(file);
            }
        }
        return List.copyOf(untrusted);
    }

    private Map<String, Long> entries() {
        Map<String, Long> entries = new HashMap<>();
        List<Path> files = new ArrayList<>(List.of(trustFile));
        if (Files.isDirectory(trustDir)) {
            try (Stream<Path> list = Files.list(trustDir)) {
                files.addAll(list.sorted().collect(Collectors.toList()));
            } catch (IOException e) {
                // An unreadable directory trusts nothing that check can see: it reports the files as untrusted.
            }
        }
        for (Path file : files) {
            try {
                Files.readAllLines(file, StandardCharsets.UTF_8).forEach(line -> parse(line, entries));
            } catch (IOException e) {
                // Missing or unreadable: nothing trusted from it.
            }
        }
        return entries;
    }

    /* Newer fapolicyd escapes a path's spaces and specials as %XX; older writes them plain. */
    private static void parse(String line, Map<String, Long> entries) {
        String entry = line.strip();
        if (entry.isEmpty() || entry.startsWith("#")) {
            return;
        }
        String[] fields = entry.split("\\s+");
        String path = fields[0].contains("%") ? URLDecoder.decode(fields[0].replace("+", "%2B"),
                StandardCharsets.UTF_8) : fields[0];
        long size = -1;
        if (fields.length > 1) {
            try {
                size = Long.parseLong(fields[1]);
            } catch (NumberFormatException e) {
                size = -1;
            }
        }
        entries.put(path, size);
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -2;
        }
    }
}

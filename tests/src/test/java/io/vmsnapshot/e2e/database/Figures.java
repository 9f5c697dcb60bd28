package io.vmsnapshot.e2e.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The measured figures of a database scenario: printed, and appended to
 * {@code target/e2e/database-figures.txt} so a run leaves them in one place.
 */
final class Figures {
    private Figures() {
    }

    static void record(String scenario, String line) {
        String text = "FIGURES " + scenario + ": " + line;
        System.out.println(text);
        Path file = Path.of(System.getProperty("vmsnapshot.work", "target/e2e"), "database-figures.txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Instant.now() + " " + text + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("(cannot append to " + file + ": " + e.getMessage() + ")");
        }
    }
}

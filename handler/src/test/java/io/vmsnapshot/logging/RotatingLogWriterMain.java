package io.vmsnapshot.logging;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A stand-in for one of the package's processes in its own JVM: says "ready", waits for the go file
 * (so that all writers start together), then appends {@code count} lines named
 * {@code <prefix>-<n>} to a small rotating log.
 */
public final class RotatingLogWriterMain {
    private RotatingLogWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[0]);
        String prefix = args[1];
        int count = Integer.parseInt(args[2]);
        Path go = Path.of(args[3]);
        long maxBytes = Long.parseLong(args[4]);
        int generations = Integer.parseInt(args[5]);
        System.out.println("ready");
        System.out.flush();
        while (!Files.exists(go)) {
            Thread.sleep(5);
        }
        try (RotatingLogFile file = new RotatingLogFile(log, maxBytes, generations)) {
            for (int n = 0; n < count; n++) {
                file.append((prefix + "-" + n + " " + "x".repeat(60) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}

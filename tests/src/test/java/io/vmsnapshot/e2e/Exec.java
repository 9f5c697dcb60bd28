package io.vmsnapshot.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a helper process of a test (jdeps, the bundled java) with output to files and a deadline. */
final class Exec {
    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n[stdout]\n" + stdout + "\n[stderr]\n" + stderr;
        }
    }

    private Exec() {
    }

    static Result run(Path workDir, List<String> argv) throws IOException, InterruptedException {
        Path out = Files.createTempFile("exec", ".out");
        Path err = Files.createTempFile("exec", ".err");
        try {
            Process process = new ProcessBuilder(argv).directory(workDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + argv);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}

package io.vmsnapshot.e2e.prepost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An operator at a root shell typing {@code bin/handle.sh check} or {@code dry-run} in an
 * installed extension's directory: a login-like environment (PATH, LANG) plus the test's
 * variables, nothing inherited from the test JVM.
 */
final class OperatorShell {
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n[stdout]\n" + stdout + "\n[stderr]\n" + stderr;
        }
    }

    private final Path workDir;
    private final Map<String, String> environment;

    /** @param workDir the operator's current directory and where the output files go */
    OperatorShell(Path workDir, Map<String, String> environment) {
        this.workDir = workDir;
        this.environment = Map.copyOf(environment);
    }

    OperatorShell with(String name, String value) {
        Map<String, String> changed = new LinkedHashMap<>(environment);
        changed.put(name, value);
        return new OperatorShell(workDir, changed);
    }

    OperatorShell in(Path directory) {
        return new OperatorShell(directory, environment);
    }

    /** Runs {@code launcher verb} as typed, e.g. {@code bin/handle.sh} relative to the current directory. */
    Result run(String launcher, String verb) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "operator", ".out");
        Path err = Files.createTempFile(workDir, "operator", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", "-c", launcher + " " + verb))
                    .directory(workDir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().clear();
            builder.environment().put("PATH", PATH);
            builder.environment().put("LANG", "C.UTF-8");
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + launcher + " " + verb);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}

package io.vmsnapshot.e2e.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The userlands of {@code scripts/userlands.sh}, made on first use and kept in the machine's cache
 * (/var/cache/vmsnapshot-tests) across runs and clones. The script builds each one at most once per
 * machine; here it runs at most once per test JVM and userland.
 */
final class Userlands {
    /** A cold build is about a minute for Debian 11 and a few for arm64 under emulation; this is far beyond. */
    private static final long BUILD_TIMEOUT_MINUTES = 30;
    private static final Map<String, Userland> READY = new ConcurrentHashMap<>();

    private Userlands() {
    }

    static Userland debian11Amd64() {
        return ready("debian-11-amd64", "x86_64");
    }

    static Userland debian12Arm64() {
        return ready("debian-12-arm64", "aarch64");
    }

    private static synchronized Userland ready(String which, String machine) {
        Userland known = READY.get(which);
        if (known != null) {
            return known;
        }
        Userland built = build(which, machine);
        READY.put(which, built);
        return built;
    }

    private static Userland build(String which, String machine) {
        Path script = Path.of(System.getProperty("vmsnapshot.repo", "..")).resolve("scripts/userlands.sh").toAbsolutePath();
        List<String> argv = List.of("bash", script.toString(), which);
        try {
            Path log = Files.createTempFile("userlands", ".log");
            try {
                Process process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                process.getOutputStream().close();
                if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(script + " " + which + " did not finish in " + BUILD_TIMEOUT_MINUTES + " min");
                }
                String output = Files.readString(log, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(script + " " + which + " failed with " + process.exitValue() + ":\n" + output);
                }
                return parse(output, machine);
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the userland " + which, e);
        }
    }

    /** The script prints "name path" for the userland it made ready, after its own log lines. */
    private static Userland parse(String output, String machine) {
        List<String> ready = new ArrayList<>();
        for (String line : output.lines().toList()) {
            if (!line.startsWith("userlands: ") && line.split(" ").length == 2) {
                ready.add(line);
            }
        }
        if (ready.size() != 1) {
            throw new IllegalStateException("userlands.sh named no single userland:\n" + output);
        }
        String[] fields = ready.get(0).split(" ");
        Path root = Path.of(fields[1]);
        if (!Files.isDirectory(root.resolve("usr/bin"))) {
            throw new IllegalStateException(root + " is no userland:\n" + output);
        }
        return new Userland(fields[0], root, machine);
    }
}

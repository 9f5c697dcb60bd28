package io.vmsnapshot.e2e.hardening;

import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentUnzip;
import io.vmsnapshot.e2e.fixtures.RootOnlyDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The built package unzipped the agent's way into a {@link RootOnlyDir} (its whole path passes the
 * plugin host's directory rule, as no path below /tmp does), with a config dir
 * ({@code VMSNAPSHOT_CONFIG_DIR}) and a scripts dir beside it, and the operator commands of
 * {@code bin/handle.sh} to run against them. The directories are 0755, so an unprivileged user can
 * reach (not change) them — as {@code /etc/azure} on a real VM.
 */
final class PackageSandbox implements AutoCloseable {
    record Result(int exitCode, String stdout, String stderr, Duration elapsed) {
        @Override
        public String toString() {
            return "exit " + exitCode + " after " + elapsed.toMillis() + " ms\n[stdout]\n" + stdout
                    + "\n[stderr]\n" + (stderr.length() > 4000 ? stderr.substring(stderr.length() - 4000) : stderr);
        }
    }

    private final RootOnlyDir dir;
    private final Path root;
    private final Path packageRoot;
    private final Path etc;
    private final Path scripts;

    private PackageSandbox(RootOnlyDir dir) throws IOException {
        this.dir = dir;
        this.root = dir.path();
        this.packageRoot = root.resolve("pkg");
        this.etc = directory(root.resolve("etc"), "rwxr-xr-x");
        this.scripts = directory(root.resolve("scripts"), "rwxr-xr-x");
        AgentUnzip.extract(AgentSimulator.builtZip(), packageRoot);
    }

    /** 0755 all the way down, so the hostile user can reach (not change) the package and the scripts. */
    static PackageSandbox create() throws IOException {
        RootOnlyDir dir = RootOnlyDir.create("hardening", RootOnlyDir.Access.READABLE_BY_ALL);
        try {
            return new PackageSandbox(dir);
        } catch (IOException | RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    Path root() {
        return root;
    }

    Path etc() {
        return etc;
    }

    Path scripts() {
        return scripts;
    }

    Path pluginConfigFile() {
        return etc.resolve("VMSnapshotPluginConfig.json");
    }

    static Path directory(Path dir, String mode) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        return dir;
    }

    /** A root-only (0700) script in the scripts dir. */
    Path script(String name, String body) throws IOException {
        return file(scripts.resolve(name), "#!/bin/sh\n" + body + "\n", "rwx------");
    }

    static Path file(Path file, String content, String mode) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    /** VMSnapshotPluginConfig.json (0600) naming these scripts ("" = none). */
    Path pluginConfig(String pre, String post, int timeoutSeconds) throws IOException {
        return file(pluginConfigFile(), "{\"pluginName\":\"ScriptRunner\",\"preScriptLocation\":\"" + pre
                + "\",\"postScriptLocation\":\"" + post + "\",\"preScriptParams\":[],\"postScriptParams\":[],"
                + "\"preScriptNoOfRetries\":0,\"postScriptNoOfRetries\":0,\"timeoutInSeconds\":" + timeoutSeconds
                + ",\"continueBackupOnFailure\":true,\"fsFreezeEnabled\":true}", "rw-------");
    }

    /** {@code bin/handle.sh <verb>} as an operator runs it: cwd = package root, the sandbox's config dir. */
    Result handle(String verb, Duration timeout) throws IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("VMSNAPSHOT_CONFIG_DIR", etc.toString());
        env.put("VMSNAPSHOT_RUN_DIR", root.resolve("run").toString());
        env.put("VMSNAPSHOT_FREEZE_MOUNTS", "");
        env.put("VMSNAPSHOT_WIRESERVER_URL", "http://127.0.0.1:9");
        env.put("LANG", "C.UTF-8");
        Path out = root.resolve(verb + ".stdout");
        Path err = root.resolve(verb + ".stderr");
        List<String> argv = new ArrayList<>(List.of(packageRoot.resolve("bin/handle.sh").toString(), verb));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(packageRoot.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("handle.sh " + verb + " did not end within " + timeout);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), elapsed);
    }

    @Override
    public void close() {
        dir.close();
    }
}

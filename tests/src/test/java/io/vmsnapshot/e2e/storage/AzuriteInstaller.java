package io.vmsnapshot.e2e.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Installs the pinned {@code azurite} npm package into a cache directory this fixture owns and
 * reuses it on later runs. The install goes to a sibling temp directory and is moved into place
 * only when complete, under a file lock, so a killed or concurrent run never leaves a half
 * install that looks usable.
 */
final class AzuriteInstaller {
    static final String VERSION = "3.37.0";
    private static final long INSTALL_TIMEOUT_MINUTES = 5;

    private final Path home;

    /** @param home e.g. {@code ~/.cache/vmsnapshot/azurite-3.37.0} */
    AzuriteInstaller(Path home) {
        this.home = home;
    }

    /** The default cache: {@code -Dvmsnapshot.azurite.dir}, else {@code ~/.cache/vmsnapshot/azurite-<version>}. */
    static Path defaultHome() {
        String configured = System.getProperty("vmsnapshot.azurite.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "vmsnapshot", "azurite-" + VERSION);
    }

    /** @return the {@code azurite-blob} launcher, installing the package first if needed */
    Path blobLauncher() throws IOException, InterruptedException {
        if (isInstalled(home)) {
            return launcher(home);
        }
        Files.createDirectories(home.getParent());
        Path lockFile = home.resolveSibling(home.getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.lock()) {
            if (!isInstalled(home)) {
                install();
            }
        }
        return launcher(home);
    }

    private void install() throws IOException, InterruptedException {
        Path staging = home.resolveSibling(home.getFileName() + ".staging");
        IOException last = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            deleteTree(staging);
            Files.createDirectories(staging);
            try {
                npmInstall(staging);
                if (!isInstalled(staging)) {
                    throw new IOException("npm finished but " + launcher(staging) + " is missing");
                }
                deleteTree(home);
                Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw new IOException("could not install azurite@" + VERSION + " into " + home
                + " (tried twice; is npm on the PATH and the registry reachable?)", last);
    }

    private static void npmInstall(Path prefix) throws IOException, InterruptedException {
        Path log = prefix.resolve("npm-install.log");
        Process npm = new ProcessBuilder(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save",
                "--loglevel=error", "--prefix", prefix.toString(), "azurite@" + VERSION))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!npm.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            npm.destroyForcibly();
            throw new IOException("npm install azurite@" + VERSION + " took over " + INSTALL_TIMEOUT_MINUTES + " minutes");
        }
        if (npm.exitValue() != 0) {
            throw new IOException("npm install azurite@" + VERSION + " exited " + npm.exitValue() + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    private static boolean isInstalled(Path dir) throws IOException {
        Path packageJson = dir.resolve("node_modules/azurite/package.json");
        return Files.isExecutable(launcher(dir)) && Files.isRegularFile(packageJson)
                && Files.readString(packageJson, StandardCharsets.UTF_8).contains("\"version\": \"" + VERSION + "\"");
    }

    private static Path launcher(Path dir) {
        return dir.resolve("node_modules/.bin/azurite-blob");
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

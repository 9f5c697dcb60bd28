package io.vmsnapshot.e2e.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

/**
 * The shipped sample scripts ({@code scripts/samples/}), installed the way the customer guide says
 * (root-owned, 700, in a directory nobody else can write), and the test's thin wrappers around
 * them that note when the pre-script returned and when the post-script started, in a file off the
 * frozen file system. The wrappers pass the plugin host's arguments and environment through.
 */
final class SampleScripts {
    private SampleScripts() {
    }

    /** Copies {@code scripts/samples/<relative>} into {@code scriptsDir} with mode 700. */
    static Path install(String relative, Path scriptsDir) throws IOException {
        Path source = Path.of(System.getProperty("vmsnapshot.repo", "."), "scripts", "samples").resolve(relative);
        Path target = scriptsDir.resolve(source.getFileName());
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        return target;
    }

    /** A pre-script that runs {@code sample} and writes the instant it returned (or was stopped) to {@code mark}. */
    static Path markingReturn(Path sample, Path mark, Path scriptsDir) throws IOException {
        return write(scriptsDir.resolve("pre-" + sample.getFileName()), """
                #!/bin/sh
                # Test wrapper: the instant the sample returned, or was stopped by the plugin host's timeout.
                trap 'date +%%s%%6N >'%2$s'; exit 143' TERM
                '%1$s' "$@"
                rc=$?
                date +%%s%%6N >'%2$s'
                exit $rc
                """.formatted(sample, mark));
    }

    /** A post-script that writes the instant it started to {@code mark}, then runs {@code sample}. */
    static Path markingStart(Path sample, Path mark, Path scriptsDir) throws IOException {
        return write(scriptsDir.resolve("post-" + sample.getFileName()), """
                #!/bin/sh
                # Test wrapper: the instant the post phase reached the sample.
                date +%%s%%6N >'%2$s'
                exec '%1$s' "$@"
                """.formatted(sample, mark));
    }

    /**
     * The config with a marking wrapper in front of each configured script that exists (a missing
     * one stays missing): {@code marks/pre} gets the instant the pre-script returned,
     * {@code marks/post} the instant the post-script started.
     */
    static PluginConfig withMarks(PluginConfig config, Path marks, Path scriptsDir) throws IOException {
        Path pre = Files.exists(config.preScript())
                ? markingReturn(config.preScript(), marks.resolve("pre"), scriptsDir) : config.preScript();
        Path post = Files.exists(config.postScript())
                ? markingStart(config.postScript(), marks.resolve("post"), scriptsDir) : config.postScript();
        return config.withPre(pre, config.preParams()).withPost(post, config.postParams());
    }

    static Optional<Instant> readMark(Path mark) throws IOException {
        if (!Files.exists(mark)) {
            return Optional.empty();
        }
        long micros = Long.parseLong(Files.readString(mark, StandardCharsets.UTF_8).strip());
        return Optional.of(Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000));
    }

    private static Path write(Path script, String text) throws IOException {
        Files.writeString(script, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}

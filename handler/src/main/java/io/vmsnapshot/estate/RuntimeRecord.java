package io.vmsnapshot.estate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The launcher's record of the bundled runtime ({@code state/runtime}, written by {@code bin/handle.sh}):
 * one line, {@code <machine> <glibc version> ok|no <UTF-8 locale or -> <why not, when no>}.
 *
 * @param libc        the glibc version, or {@code unknown} (a C library that is not glibc)
 * @param bundledRuns whether the bundled runtime starts on this VM
 * @param reason      why it does not; empty when it does
 */
public record RuntimeRecord(String machine, String libc, boolean bundledRuns, String locale, String reason) {
    public RuntimeRecord {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(libc, "libc");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(reason, "reason");
    }

    /** Empty when the file is missing or not in the launcher's format (a handler started by hand). */
    public static Optional<RuntimeRecord> read(Path file) {
        String line;
        try {
            line = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return Optional.empty();
        }
        String[] fields = line.split(" ", 5);
        if (fields.length < 4 || !(fields[2].equals("ok") || fields[2].equals("no"))) {
            return Optional.empty();
        }
        return Optional.of(new RuntimeRecord(fields[0], fields[1], fields[2].equals("ok"), fields[3],
                fields.length == 5 ? fields[4] : ""));
    }
}

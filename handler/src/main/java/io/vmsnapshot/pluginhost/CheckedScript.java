package io.vmsnapshot.pluginhost;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A configured script that passed every check, with the bytes that were verified.
 *
 * @param location   the path the config names; its directory is the script's working directory
 * @param content    the script's bytes, read once through a no-follow descriptor
 * @param argvPrefix the checked interpreter and its argument, which come before the script in argv
 * @param copyReason why it runs from a copy of {@code content} instead of in place: someone other
 *                   than root controls a directory above it; empty when it runs in place
 */
record CheckedScript(Path location, byte[] content, List<String> argvPrefix, Optional<String> copyReason) {
    CheckedScript {
        Objects.requireNonNull(location, "location");
        content = content.clone();
        argvPrefix = List.copyOf(argvPrefix);
        Objects.requireNonNull(copyReason, "copyReason");
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    boolean runsFromCopy() {
        return copyReason.isPresent();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CheckedScript that && location.equals(that.location)
                && Arrays.equals(content, that.content) && argvPrefix.equals(that.argvPrefix)
                && copyReason.equals(that.copyReason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(location, Arrays.hashCode(content), argvPrefix, copyReason);
    }

    @Override
    public String toString() {
        return "CheckedScript[location=" + location + ", content=" + content.length + " bytes, argvPrefix="
                + argvPrefix + ", copyReason=" + copyReason + "]";
    }
}

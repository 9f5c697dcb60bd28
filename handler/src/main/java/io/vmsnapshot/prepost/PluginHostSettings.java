package io.vmsnapshot.prepost;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the plugin host looks and whom it trusts.
 *
 * @param configDir        {@code /etc/azure} in production ({@code VMSNAPSHOT_CONFIG_DIR} overrides it);
 *                         paths under {@code /etc/azure} named by a host config are re-rooted here
 * @param hostConfig       a host config named explicitly (must exist); empty = the config dir's
 *                         {@code VMSnapshotPluginHost.conf} if present, else the packaged default
 * @param handlerUid       the uid the handler runs as (0 in production): configs and scripts must be its own
 * @param scriptCopyDirs   where a script that others could replace runs from a copy of its verified
 *                         bytes, in order of preference (a directory on {@code /run}, else the handler's
 *                         state dir); empty = such scripts cannot run
 * @param writerProbe      the static helper whose {@code --writers} mode asks the kernel whether anyone
 *                         holds a script open for writing (a read lease), so that the scan of every
 *                         process in {@code /proc} runs only when it cannot tell; empty = always scan
 */
public record PluginHostSettings(Path configDir, Optional<Path> hostConfig, int handlerUid, List<Path> scriptCopyDirs,
        Optional<Path> writerProbe) {
    public static final Path DEFAULT_CONFIG_DIR = Path.of("/etc/azure");

    public PluginHostSettings {
        Objects.requireNonNull(configDir, "configDir");
        if (!configDir.isAbsolute()) {
            throw new IllegalArgumentException("configDir must be absolute: " + configDir);
        }
        Objects.requireNonNull(hostConfig, "hostConfig");
        if (handlerUid < 0) {
            throw new IllegalArgumentException("handlerUid must not be negative: " + handlerUid);
        }
        scriptCopyDirs = List.copyOf(scriptCopyDirs);
        Objects.requireNonNull(writerProbe, "writerProbe");
    }

    /** Without the kernel's proof: every script is looked for in {@code /proc}. */
    public PluginHostSettings(Path configDir, Optional<Path> hostConfig, int handlerUid, List<Path> scriptCopyDirs) {
        this(configDir, hostConfig, handlerUid, scriptCopyDirs, Optional.empty());
    }

    /** Without a directory for copies: scripts in directories others control are refused. */
    public PluginHostSettings(Path configDir, Optional<Path> hostConfig, int handlerUid) {
        this(configDir, hostConfig, handlerUid, List.of());
    }

    public static PluginHostSettings of(Path configDir, int handlerUid) {
        return new PluginHostSettings(configDir, Optional.empty(), handlerUid);
    }

    public static PluginHostSettings of(Path configDir, int handlerUid, List<Path> scriptCopyDirs) {
        return new PluginHostSettings(configDir, Optional.empty(), handlerUid, scriptCopyDirs);
    }

    /** The same settings, with the helper that asks the kernel for writers first. */
    public PluginHostSettings withWriterProbe(Path helper) {
        return new PluginHostSettings(configDir, hostConfig, handlerUid, scriptCopyDirs, Optional.of(helper));
    }
}

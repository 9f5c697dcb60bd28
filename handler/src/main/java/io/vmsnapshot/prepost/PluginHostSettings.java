package io.vmsnapshot.prepost;

import java.nio.file.Path;
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
 */
public record PluginHostSettings(Path configDir, Optional<Path> hostConfig, int handlerUid) {
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
    }

    public static PluginHostSettings of(Path configDir, int handlerUid) {
        return new PluginHostSettings(configDir, Optional.empty(), handlerUid);
    }
}

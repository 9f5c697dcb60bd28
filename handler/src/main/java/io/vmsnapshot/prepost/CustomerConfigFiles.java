package io.vmsnapshot.prepost;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The files by which a customer sets up pre/post in the config dir. Their mere presence is what the
 * handler can tell without the plugin host: when the plugin host is damaged and none is there, no
 * script would have run anyway, so the damage changes no backup.
 */
public final class CustomerConfigFiles {
    public static final String HOST_CONFIG = "VMSnapshotPluginHost.conf";
    public static final String PLUGIN_CONFIG = "VMSnapshotPluginConfig.json";
    /**
     * Upstream's name for the plugin config (its packaged host config and the sample repository use
     * it); {@code ConfigInspector} says which one counts when both exist.
     */
    public static final String UPSTREAM_PLUGIN_CONFIG = "VMSnapshotScriptPluginConfig.json";

    private CustomerConfigFiles() {
    }

    /** Whether anything (even a dangling link) sets up pre/post: a file of ours or an explicit host config. */
    public static boolean present(PluginHostSettings settings) {
        return settings.hostConfig().isPresent() || List.of(HOST_CONFIG, PLUGIN_CONFIG, UPSTREAM_PLUGIN_CONFIG)
                .stream().map(settings.configDir()::resolve).anyMatch(CustomerConfigFiles::exists);
    }

    private static boolean exists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }
}

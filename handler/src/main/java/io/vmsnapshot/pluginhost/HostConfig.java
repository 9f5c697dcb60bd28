package io.vmsnapshot.pluginhost;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The plugin host config ({@code VMSnapshotPluginHost.conf}): the host's deadline per phase and the
 * plugins it runs side by side, each with its own JSON config.
 *
 * @param source          where it was read from, for messages
 * @param packagedDefault true when no customer host config exists and the shipped default is used
 */
record HostConfig(String source, boolean packagedDefault, int timeoutSeconds, List<Plugin> plugins) {
    record Plugin(int index, String name, Path configPath) {
        Plugin {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(configPath, "configPath");
        }

        /** How the plugin is named in results, the log and {@code VMSNAPSHOT_PLUGIN}. */
        String label() {
            return name + "#" + index;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Plugin that && index == that.index && name.equals(that.name)
                    && configPath.equals(that.configPath);
        }

        @Override
        public int hashCode() {
            return Objects.hash(index, name, configPath);
        }

        @Override
        public String toString() {
            return "Plugin[index=" + index + ", name=" + name + ", configPath=" + configPath + "]";
        }
    }

    HostConfig {
        Objects.requireNonNull(source, "source");
        plugins = List.copyOf(plugins);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostConfig that && source.equals(that.source)
                && packagedDefault == that.packagedDefault && timeoutSeconds == that.timeoutSeconds
                && plugins.equals(that.plugins);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, packagedDefault, timeoutSeconds, plugins);
    }

    @Override
    public String toString() {
        return "HostConfig[source=" + source + ", packagedDefault=" + packagedDefault + ", timeoutSeconds="
                + timeoutSeconds + ", plugins=" + plugins + "]";
    }
}

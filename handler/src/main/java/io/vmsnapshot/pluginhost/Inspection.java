package io.vmsnapshot.pluginhost;

import io.vmsnapshot.prepost.Precheck;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** The result of reading and checking all configs: what to report, and what would run. */
record Inspection(Precheck precheck, Duration hostTimeout, List<ReadyPlugin> plugins) {
    /** A plugin whose config and scripts passed every check. */
    record ReadyPlugin(String label, PluginConfig config) {
        ReadyPlugin {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(config, "config");
        }
    }

    Inspection {
        Objects.requireNonNull(precheck, "precheck");
        Objects.requireNonNull(hostTimeout, "hostTimeout");
        plugins = List.copyOf(plugins);
    }
}

package io.vmsnapshot.pluginhost;

import io.vmsnapshot.prepost.Precheck;
import io.vmsnapshot.prepost.ScriptPhase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The result of reading and checking all configs: what to report, and what would run. */
record Inspection(Precheck precheck, Duration hostTimeout, List<ReadyPlugin> plugins) {
    /** A plugin whose config and scripts passed every check, with the scripts as checked. */
    record ReadyPlugin(String label, PluginConfig config, Map<ScriptPhase, CheckedScript> scripts) {
        ReadyPlugin {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(config, "config");
            scripts = Map.copyOf(scripts);
        }
    }

    Inspection {
        Objects.requireNonNull(precheck, "precheck");
        Objects.requireNonNull(hostTimeout, "hostTimeout");
        plugins = List.copyOf(plugins);
    }
}

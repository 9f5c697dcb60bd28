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

        @Override
        public boolean equals(Object other) {
            return other instanceof ReadyPlugin that && label.equals(that.label) && config.equals(that.config)
                    && scripts.equals(that.scripts);
        }

        @Override
        public int hashCode() {
            return Objects.hash(label, config, scripts);
        }

        @Override
        public String toString() {
            return "ReadyPlugin[label=" + label + ", config=" + config + ", scripts=" + scripts + "]";
        }
    }

    Inspection {
        Objects.requireNonNull(precheck, "precheck");
        Objects.requireNonNull(hostTimeout, "hostTimeout");
        plugins = List.copyOf(plugins);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Inspection that && precheck.equals(that.precheck)
                && hostTimeout.equals(that.hostTimeout) && plugins.equals(that.plugins);
    }

    @Override
    public int hashCode() {
        return Objects.hash(precheck, hostTimeout, plugins);
    }

    @Override
    public String toString() {
        return "Inspection[precheck=" + precheck + ", hostTimeout=" + hostTimeout + ", plugins=" + plugins + "]";
    }
}

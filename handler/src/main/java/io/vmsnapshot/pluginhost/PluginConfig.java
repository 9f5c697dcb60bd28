package io.vmsnapshot.pluginhost;

import io.vmsnapshot.prepost.ScriptPhase;
import java.util.Objects;
import java.util.Optional;

/** A validated {@code VMSnapshotPluginConfig.json}; an absent script means that phase is not configured. */
record PluginConfig(String source, Optional<PhaseScript> pre, Optional<PhaseScript> post, int timeoutSeconds,
        boolean continueBackupOnFailure, boolean fsFreezeEnabled) {

    PluginConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(pre, "pre");
        Objects.requireNonNull(post, "post");
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("timeoutSeconds must be positive: " + timeoutSeconds);
        }
    }

    Optional<PhaseScript> script(ScriptPhase phase) {
        return phase == ScriptPhase.PRE ? pre : post;
    }

    boolean configuresScripts() {
        return pre.isPresent() || post.isPresent();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PluginConfig that && source.equals(that.source) && pre.equals(that.pre)
                && post.equals(that.post) && timeoutSeconds == that.timeoutSeconds
                && continueBackupOnFailure == that.continueBackupOnFailure && fsFreezeEnabled == that.fsFreezeEnabled;
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, pre, post, timeoutSeconds, continueBackupOnFailure, fsFreezeEnabled);
    }

    @Override
    public String toString() {
        return "PluginConfig[source=" + source + ", pre=" + pre + ", post=" + post + ", timeoutSeconds="
                + timeoutSeconds + ", continueBackupOnFailure=" + continueBackupOnFailure + ", fsFreezeEnabled="
                + fsFreezeEnabled + "]";
    }
}

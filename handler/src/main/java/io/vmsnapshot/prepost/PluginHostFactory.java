package io.vmsnapshot.prepost;

import io.vmsnapshot.process.ProcessLauncher;

/**
 * Implemented by the verified plugin host jar; {@link PluginHostLoader} finds the implementation by
 * class name in the bytes it has just verified, so the handler never links to it.
 */
public interface PluginHostFactory {
    /** The class the loader instantiates (public, no-argument constructor). */
    String IMPLEMENTATION = "io.vmsnapshot.pluginhost.ScriptPluginHostFactory";

    /**
     * @param defaultHostConfig the packaged {@code VMSnapshotPluginHost.conf}, as verified
     */
    PluginHost create(PluginHostSettings settings, byte[] defaultHostConfig, ProcessLauncher launcher);
}

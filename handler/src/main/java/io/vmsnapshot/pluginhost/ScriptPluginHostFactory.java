package io.vmsnapshot.pluginhost;

import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.PluginHostFactory;
import io.vmsnapshot.prepost.PluginHostSettings;
import io.vmsnapshot.process.ProcessLauncher;

/** Entry point of the verified plugin host jar, instantiated by name by the handler's loader. */
public final class ScriptPluginHostFactory implements PluginHostFactory {
    @Override
    public PluginHost create(PluginHostSettings settings, byte[] defaultHostConfig, ProcessLauncher launcher) {
        return new ScriptPluginHost(new ConfigInspector(settings, defaultHostConfig),
                new PhaseRunner(launcher, settings.handlerUid()));
    }
}

package io.vmsnapshot.pluginhost;

import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.PluginHostFactory;
import io.vmsnapshot.prepost.PluginHostSettings;
import io.vmsnapshot.process.ProcessLauncher;
import java.nio.file.Path;

/** Entry point of the verified plugin host jar, instantiated by name by the handler's loader. */
public final class ScriptPluginHostFactory implements PluginHostFactory {
    private static final Path PROC = Path.of("/proc");

    @Override
    public PluginHost create(PluginHostSettings settings, byte[] defaultHostConfig, ProcessLauncher launcher) {
        return create(settings, defaultHostConfig, launcher, PROC);
    }

    /** @param proc {@code /proc}, or a fake of it in tests */
    static PluginHost create(PluginHostSettings settings, byte[] defaultHostConfig, ProcessLauncher launcher,
            Path proc) {
        long pid = ProcessHandle.current().pid();
        WriterProof proof = settings.writerProbe().isPresent()
                ? new LeaseProbe(settings.writerProbe().get(), LeaseProbe.TIMEOUT) : new WriterProof.None();
        return new ScriptPluginHost(new ConfigInspector(settings, defaultHostConfig, new OpenWriters(proc, pid), proof),
                new PhaseRunner(launcher, settings.handlerUid(),
                        new ScriptCopies(settings.scriptCopyDirs(), PROC, pid, settings.handlerUid())));
    }
}

package io.vmsnapshot.pluginhost;

import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.PluginHostSettings;
import io.vmsnapshot.process.ProcessLauncher;
import io.vmsnapshot.testing.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A config dir in a sandbox plus helpers to write configs and scripts the way a customer would. */
final class Fixture implements AutoCloseable {
    /** The packaged default, as shipped in conf/VMSnapshotPluginHost.conf. */
    static final String DEFAULT_HOST_CONFIG = """
            # Default plugin host config shipped in the package
            [pre_post]
            timeoutInSeconds: 1800
            numberOfPlugins: 1
            pluginName0: ScriptRunner
            pluginPath0: /etc/azure
            pluginConfigPath0: /etc/azure/VMSnapshotPluginConfig.json
            """;

    final Sandbox box = Sandbox.create();
    final Path etc = box.dir("etc");
    /** Where scripts that others could replace run from a copy. */
    final Path copies = box.root().resolve("run/scripts");
    final int uid = Sandbox.currentUid();

    Path pluginConfig(String json) {
        return box.file("etc/VMSnapshotPluginConfig.json", json, "rw-------");
    }

    /** A plugin config with the given pre/post script paths ("" = none) and extra JSON members. */
    Path pluginConfig(String pre, String post, String extra) {
        return pluginConfig("{\"pluginName\": \"ScriptRunner\", \"preScriptLocation\": \"" + pre
                + "\", \"postScriptLocation\": \"" + post + "\"" + (extra.isEmpty() ? "" : ", " + extra) + "}");
    }

    Path hostConfig(String ini) {
        return box.file("etc/VMSnapshotPluginHost.conf", ini, "rw-------");
    }

    Path script(String name, String body) {
        return box.script("scripts/" + name, body);
    }

    PluginHost host(ProcessLauncher launcher) {
        return host(launcher, Optional.empty());
    }

    PluginHost host(ProcessLauncher launcher, Optional<Path> explicitHostConfig) {
        return host(launcher, explicitHostConfig, Path.of("/proc"));
    }

    /** @param proc {@code /proc}, or a fake of it */
    PluginHost host(ProcessLauncher launcher, Optional<Path> explicitHostConfig, Path proc) {
        return ScriptPluginHostFactory.create(new PluginHostSettings(etc, explicitHostConfig, uid,
                List.of(copies)), DEFAULT_HOST_CONFIG.getBytes(StandardCharsets.UTF_8), launcher, proc);
    }

    /** With the freeze helper's read lease asked first, as in production. */
    PluginHost hostAskingTheKernel(ProcessLauncher launcher, Path writerProbe) {
        return ScriptPluginHostFactory.create(new PluginHostSettings(etc, Optional.empty(), uid, List.of(copies),
                Optional.of(writerProbe)), DEFAULT_HOST_CONFIG.getBytes(StandardCharsets.UTF_8), launcher,
                Path.of("/proc"));
    }

    @Override
    public void close() {
        box.close();
    }
}

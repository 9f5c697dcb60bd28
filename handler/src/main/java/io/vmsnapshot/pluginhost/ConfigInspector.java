package io.vmsnapshot.pluginhost;

import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.prepost.CustomerConfigFiles;
import io.vmsnapshot.prepost.PluginHostSettings;
import io.vmsnapshot.prepost.Precheck;
import io.vmsnapshot.prepost.ScriptPhase;

import java.nio.charset.StandardCharsets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the host config, then every plugin's config and scripts, and reports all problems in
 * evaluation order (host config, then each plugin by index: config, pre-script, post-script); the
 * first finding is the error the backup reports. A plugin config that is absent while the host
 * config is the packaged default means "no pre/post configured", which is not an error.
 */
final class ConfigInspector {
    static final String HOST_CONFIG = CustomerConfigFiles.HOST_CONFIG;
    static final String PLUGIN_CONFIG = CustomerConfigFiles.PLUGIN_CONFIG;
    static final String UPSTREAM_PLUGIN_CONFIG = CustomerConfigFiles.UPSTREAM_PLUGIN_CONFIG;
    private final PluginHostSettings settings;
    private final byte[] defaultHostConfig;
    private final ConfigFileReader reader;
    private final ScriptFileCheck scripts;
    private final ConfigDirCheck configDir;

    /**
     * @param openWriters who holds a script open, from /proc (a fake of it in tests)
     * @param proof       which scripts the kernel proves unwritten, so /proc is scanned only for the others
     */
    ConfigInspector(PluginHostSettings settings, byte[] defaultHostConfig, OpenWriters openWriters,
            WriterProof proof) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.defaultHostConfig = defaultHostConfig.clone();
        this.reader = new ConfigFileReader(settings.handlerUid());
        this.scripts = new ScriptFileCheck(settings.handlerUid(), openWriters, proof);
        this.configDir = new ConfigDirCheck(settings.handlerUid());
    }

    Inspection inspect() {
        Findings findings = new Findings();
        Optional<HostConfig> host = hostConfig(findings);
        List<Inspection.ReadyPlugin> ready = new ArrayList<>();
        boolean scriptsConfigured = false;
        boolean preScriptConfigured = false;
        boolean freeze = true;
        boolean continueOnFailure = true;
        List<HostConfig.Plugin> plugins = host.isPresent() ? host.get().plugins() : List.of();
        for (HostConfig.Plugin plugin : plugins) {
            PluginConfigParser.Parsed parsed = pluginConfig(host.get(), plugin, findings);
            // Flags read from a config with another bad field still count: the customer said them.
            freeze &= parsed.fsFreezeEnabled();
            continueOnFailure &= parsed.continueBackupOnFailure();
            Optional<PluginConfig> config = parsed.config();
            if (config.isEmpty()) {
                continue;
            }
            scriptsConfigured |= config.get().configuresScripts();
            preScriptConfigured |= config.get().pre().isPresent();
            Optional<Map<ScriptPhase, CheckedScript>> checked = checkScripts(config.get(), findings);
            if (checked.isPresent() && config.get().configuresScripts()) {
                ready.add(new Inspection.ReadyPlugin(plugin.label(), config.get(), checked.get()));
            }
        }
        Precheck precheck = new Precheck(findings.errors(), scriptsConfigured, preScriptConfigured, freeze,
                continueOnFailure, findings.warnings(), findings.notes());
        int hostSeconds = host.isPresent() ? host.get().timeoutSeconds() : HostConfigParser.MAX_TIMEOUT_SECONDS;
        return new Inspection(precheck, Duration.ofSeconds(hostSeconds), ready);
    }

    private Optional<HostConfig> hostConfig(Findings findings) {
        Path customer = settings.hostConfig().orElse(settings.configDir().resolve(HOST_CONFIG));
        if (settings.hostConfig().isEmpty() && !ConfigFileReader.exists(customer)) {
            String text = new String(defaultHostConfig, StandardCharsets.UTF_8);
            return Optional.of(new HostConfigParser().parse(text, "packaged " + HOST_CONFIG, true, findings));
        }
        try {
            String text = new String(reader.read(customer, ConfigCodes.HOST), StandardCharsets.UTF_8);
            return Optional.of(new HostConfigParser().parse(text, customer.toString(), false, findings));
        } catch (HandlerException e) {
            findings.error(e);
            return Optional.empty();
        }
    }

    private PluginConfigParser.Parsed pluginConfig(HostConfig host, HostConfig.Plugin plugin, Findings findings) {
        Path path = chooseBetweenNames(host, reroot(plugin.configPath()), findings);
        if (!ConfigFileReader.exists(path) && host.packagedDefault()) {
            return notConfigured(path, findings);
        }
        try {
            byte[] json = reader.read(path, ConfigCodes.PLUGIN);
            return new PluginConfigParser().parse(json, path.toString(), findings);
        } catch (HandlerException e) {
            findings.error(e.errorCode(), e.detail() + " (plugin " + plugin.label() + " in " + host.source() + ")");
            return PluginConfigParser.Parsed.none();
        }
    }

    /**
     * The seed names the plugin config {@code VMSnapshotPluginConfig.json}; upstream's packaged host
     * config, and Microsoft's sample repository, name it {@code VMSnapshotScriptPluginConfig.json}.
     * Either is taken when it is the only one. When both exist, the one the Python extension ran
     * wins, so that replacing it changes no backup: the one the customer's host config names, and
     * without a host config of theirs upstream's name (upstream's packaged host config named it, and
     * upstream never read the other). The status and {@code check} say which was taken.
     */
    private Path chooseBetweenNames(HostConfig host, Path named, Findings findings) {
        String name = named.getFileName() == null ? "" : named.getFileName().toString();
        if (!name.equals(PLUGIN_CONFIG) && !name.equals(UPSTREAM_PLUGIN_CONFIG)) {
            return named;
        }
        Path other = named.resolveSibling(name.equals(PLUGIN_CONFIG) ? UPSTREAM_PLUGIN_CONFIG : PLUGIN_CONFIG);
        if (!ConfigFileReader.exists(other)) {
            return named;
        }
        if (!ConfigFileReader.exists(named)) {
            return other;
        }
        Path chosen = host.packagedDefault() ? named.resolveSibling(UPSTREAM_PLUGIN_CONFIG) : named;
        Path ignored = chosen.equals(named) ? other : named;
        findings.warn(named.getParent() + " has both " + PLUGIN_CONFIG + " and " + UPSTREAM_PLUGIN_CONFIG + ": "
                + chosen.getFileName() + " is used and " + ignored.getFileName() + " is ignored, because "
                + (host.packagedDefault() ? "the Python extension ran " + UPSTREAM_PLUGIN_CONFIG
                        + " (its packaged host config names it)"
                        : host.source() + " names it")
                + "; remove the one you do not use");
        return chosen;
    }

    /** Nothing configured by the customer: not an error, as long as nobody else could have removed it. */
    private PluginConfigParser.Parsed notConfigured(Path path, Findings findings) {
        try {
            configDir.checkAbsence(path);
        } catch (HandlerException e) {
            findings.error(e);
        }
        return PluginConfigParser.Parsed.none();
    }

    /**
     * Every configured script as checked, or empty if one of them may not run. Both are read first,
     * then one question to the kernel and at most one pass over /proc look for writers of either.
     */
    private Optional<Map<ScriptPhase, CheckedScript>> checkScripts(PluginConfig config, Findings findings) {
        Map<ScriptPhase, HandlerException> errors = new EnumMap<>(ScriptPhase.class);
        List<ScriptFileCheck.Read> reads = new ArrayList<>();
        for (ScriptPhase phase : ScriptPhase.values()) {
            Optional<PhaseScript> script = config.script(phase);
            if (script.isPresent()) {
                try {
                    reads.add(scripts.read(script.get().location(), phase));
                } catch (HandlerException e) {
                    errors.put(phase, e);
                }
            }
        }
        Map<ScriptPhase, CheckedScript> checked = new EnumMap<>(ScriptPhase.class);
        if (errors.isEmpty() && !reads.isEmpty()) {
            try {
                Map<OpenWriters.Target, List<OpenWriters.Writer>> writers = scripts.scan(reads);
                for (ScriptFileCheck.Read read : reads) {
                    try {
                        checked.put(read.phase(), scripts.verify(read, writers.get(read.target())));
                    } catch (HandlerException e) {
                        errors.put(read.phase(), e);
                    }
                }
            } catch (HandlerException e) {
                errors.put(reads.get(0).phase(), e);
            }
        }
        // In the order of the phases, as if each script were checked in turn.
        for (HandlerException error : errors.values()) {
            findings.error(error);
        }
        if (!errors.isEmpty()) {
            return Optional.empty();
        }
        for (CheckedScript ready : checked.values()) {
            if (ready.copyReason().isPresent()) {
                findings.note(copyNotice(ready, ready.copyReason().get()));
            }
        }
        return Optional.of(checked);
    }

    /** The operator learns where the script really runs from, and that another user can still remove it. */
    private static String copyNotice(CheckedScript script, String reason) {
        return script.location() + " runs from a root-only copy of its verified bytes, not in place: " + reason
                + ", so that user could replace or remove it (then the backup is not application consistent)."
                + " In the script, $0 is the copy; VMSNAPSHOT_SCRIPT_PATH is " + script.location()
                + " and the working directory is " + script.location().getParent();
    }

    /**
     * Host configs name {@code /etc/azure/...}; when the config dir is overridden (tests, sandboxes),
     * those paths move with it, so nothing outside the chosen dir is ever read.
     */
    private Path reroot(Path configured) {
        Path defaultDir = PluginHostSettings.DEFAULT_CONFIG_DIR;
        if (settings.configDir().equals(defaultDir) || !configured.startsWith(defaultDir)) {
            return configured;
        }
        return settings.configDir().resolve(defaultDir.relativize(configured).toString());
    }
}

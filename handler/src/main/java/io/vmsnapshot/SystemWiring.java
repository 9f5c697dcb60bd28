package io.vmsnapshot;

import io.vmsnapshot.journal.BackupJournal;
import io.vmsnapshot.journal.BackupRecovery;
import io.vmsnapshot.backup.BackupServices;
import io.vmsnapshot.report.BlobUploader;
import io.vmsnapshot.journal.JournalBackupRecovery;
import io.vmsnapshot.journal.JournaledFreezer;
import io.vmsnapshot.journal.JournaledPluginHost;
import io.vmsnapshot.journal.JournaledProcessLauncher;
import io.vmsnapshot.backup.MountSource;
import io.vmsnapshot.report.StatusDocuments;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.freeze.FreezeEligibility;
import io.vmsnapshot.freeze.FreezeRecordStore;
import io.vmsnapshot.freeze.FreezeRecovery;
import io.vmsnapshot.freeze.HelperFreezer;
import io.vmsnapshot.freeze.MountTable;
import io.vmsnapshot.freeze.ResourceDiskLocator;
import io.vmsnapshot.freeze.SystemHelperLauncher;
import io.vmsnapshot.freeze.VmBackupConf;
import io.vmsnapshot.agent.HandlerPaths;
import io.vmsnapshot.logging.LogHold;
import io.vmsnapshot.logging.Redactor;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.PluginHostLoader;
import io.vmsnapshot.prepost.PluginHostSettings;
import io.vmsnapshot.process.GroupProcessLauncher;
import io.vmsnapshot.process.ScriptReaper;
import io.vmsnapshot.snapshot.GuestSnapshotter;
import io.vmsnapshot.snapshot.HostSnapshotter;
import io.vmsnapshot.snapshot.Snapshotter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production implementations of every seam, built from the real machine: /proc, /sys, the
 * helper binary in the package, the network. Like Main, this is allowed to touch the world.
 */
final class SystemWiring {
    private static final Logger LOG = LoggerFactory.getLogger(SystemWiring.class);
    static final String WIRESERVER_VARIABLE = "VMSNAPSHOT_WIRESERVER_URL";
    private static final String DEFAULT_WIRESERVER = "http://168.63.129.16";
    private static final Path PROC = Path.of("/proc");
    /** Upstream waits up to 66 s for its freeze binary to report the freeze. */
    private static final Duration FREEZE_WAIT = Duration.ofSeconds(66);
    private static final Duration THAW_WAIT = Duration.ofSeconds(30);

    private final HandlerPaths paths;
    private final Map<String, String> env;
    private final Clock clock;
    /** Its timer thread starts only if a recovery has something to kill. */
    private final ScriptReaper reaper = ScriptReaper.system();

    SystemWiring(HandlerPaths paths, Map<String, String> env, Clock clock) {
        this.paths = paths;
        this.env = env;
        this.clock = clock;
    }

    Path freezeHelper() {
        return paths.packageRoot().resolve("bin").resolve("vmsnapshot-freeze");
    }

    /**
     * Thaws what a killed freeze helper left frozen; runs at every start, before anything is written.
     *
     * @return the mounts thawed, for the report of the interrupted backup
     */
    List<Path> recoverFreeze(LogHold logHold) {
        logHold.hold();
        try {
            List<Path> thawed = new FreezeRecovery(new FreezeRecordStore(paths.runDir()), PROC, freezeHelper(),
                    new SystemHelperLauncher(), THAW_WAIT).recover();
            if (!thawed.isEmpty()) {
                LOG.warn("freeze-recovered thawed={}", thawed);
            }
            return thawed;
        } catch (HandlerException e) {
            LOG.error("freeze-recovery-failed code={} detail={}", e.errorCode().upstreamName(), e.detail());
            return List.of();
        } finally {
            try {
                logHold.release();
            } catch (IOException e) {
                LOG.error("log-release-failed error={}", e.toString());
            }
        }
    }

    Supplier<PluginHost> pluginHosts() {
        return () -> new PluginHostLoader(paths.packageRoot())
                .load(PluginHostSettings.of(paths.configDir(), handlerUid()), GroupProcessLauncher.system());
    }

    /** Plugin hosts whose every script is journaled, so that a later start can kill what it left. */
    private Supplier<PluginHost> journaledPluginHosts(BackupJournal journal) {
        return () -> new PluginHostLoader(paths.packageRoot()).load(PluginHostSettings.of(paths.configDir(),
                handlerUid()), new JournaledProcessLauncher(GroupProcessLauncher.system(), reaper, journal));
    }

    MountSource mounts() {
        return () -> new FreezeEligibility(env, new VmBackupConf(paths.configDir()).read(),
                new ResourceDiskLocator(Path.of("/sys")).device())
                .select(new MountTable(PROC.resolve("self").resolve("mountinfo")).read());
    }

    /** The journal of the backup this process runs: {@code state/journal.json}. */
    BackupJournal journal() {
        return new BackupJournal(paths.stateDir(), clock);
    }

    BackupRecovery recovery(BackupJournal journal, List<Path> thawedAtStart) {
        return new JournalBackupRecovery(journal, journaledPluginHosts(journal), reaper, thawedAtStart);
    }

    /** @param journal receives each phase's start and end (the plugin host's phases, the freeze window) */
    BackupServices backupServices(String handlerName, String version, LogHold logHold,
                                  Supplier<List<String>> logLines, Redactor redactor, BackupJournal journal) {
        // HTTP/1.1 as upstream: the WireServer speaks it, and an h2c upgrade offer on every call is noise.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        URI wireServer = URI.create(env.getOrDefault(WIRESERVER_VARIABLE, DEFAULT_WIRESERVER));
        Snapshotter snapshotter = new Snapshotter(new GuestSnapshotter(http, clock),
                new HostSnapshotter(http, wireServer, HostSnapshotter.DEFAULT_TIMEOUT, clock), clock);
        HelperFreezer freezer = new HelperFreezer(freezeHelper(), new SystemHelperLauncher(),
                new FreezeRecordStore(paths.runDir()), PROC, clock, FREEZE_WAIT, THAW_WAIT);
        Supplier<PluginHost> hosts = journaledPluginHosts(journal);
        return new BackupServices(() -> new JournaledPluginHost(hosts.get(), journal), mounts(),
                new JournaledFreezer(freezer, journal), snapshotter,
                new BlobUploader(http, Duration.ofSeconds(30), redactor), new StatusDocuments(handlerName, version, clock),
                logHold, logLines, new VmBackupConf(paths.configDir()), clock, machineId(), version);
    }

    /** The uid this process runs as: /proc/self belongs to it. Root in production. */
    static int handlerUid() {
        try {
            return (Integer) Files.getAttribute(PROC.resolve("self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return 0;
        }
    }

    private static String machineId() {
        try {
            return Files.readString(Path.of("/etc/machine-id"), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "";
        }
    }
}

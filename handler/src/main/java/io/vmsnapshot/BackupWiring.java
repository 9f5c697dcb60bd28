package io.vmsnapshot;

import io.vmsnapshot.agent.HandlerPaths;
import io.vmsnapshot.backup.BackupRequest;
import io.vmsnapshot.backup.BackupServices;
import io.vmsnapshot.backup.Cancellation;
import io.vmsnapshot.backup.MountSource;
import io.vmsnapshot.backup.SnapshotBackup;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.freeze.ExclusiveFreezer;
import io.vmsnapshot.freeze.FreezeRecordStore;
import io.vmsnapshot.freeze.HelperFreezer;
import io.vmsnapshot.freeze.MountTable;
import io.vmsnapshot.freeze.ResourceDiskLocator;
import io.vmsnapshot.freeze.SafeFreezeLock;
import io.vmsnapshot.freeze.SizeScope;
import io.vmsnapshot.freeze.SystemHelperLauncher;
import io.vmsnapshot.freeze.UsedSize;
import io.vmsnapshot.freeze.UsedSpace;
import io.vmsnapshot.freeze.VmBackupConf;
import io.vmsnapshot.journal.BackupJournal;
import io.vmsnapshot.journal.JournaledBackupJob;
import io.vmsnapshot.journal.JournaledFreezer;
import io.vmsnapshot.journal.JournaledPluginHost;
import io.vmsnapshot.logging.LogHold;
import io.vmsnapshot.logging.Redactor;
import io.vmsnapshot.network.CaStore;
import io.vmsnapshot.network.ProxyConfig;
import io.vmsnapshot.network.ProxyCredentials;
import io.vmsnapshot.network.StorageHttp;
import io.vmsnapshot.network.StorageTrust;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.report.BackupOutcome;
import io.vmsnapshot.report.BlobUploader;
import io.vmsnapshot.report.OutcomeReporter;
import io.vmsnapshot.report.ReportedBackupJob;
import io.vmsnapshot.report.TaskRegistry;
import io.vmsnapshot.settings.IncludedDisks;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's backup as production runs it: journaled, reported, with the real snapshotter,
 * freezer and plugin host. Part of the wiring root (SystemWiring hands it to the worker command);
 * its services are built when a backup runs, because the HTTP client and the freezer cost start-up
 * time that enable, within the agent's wait, must not pay. The storage calls take the proxy the
 * agent passes and trust the VM's CA store; the host calls always go direct (the network package).
 */
final class BackupWiring implements ReportedBackupJob {
    private static final Logger LOG = LoggerFactory.getLogger(BackupWiring.class);
    static final String WIRESERVER_VARIABLE = "VMSNAPSHOT_WIRESERVER_URL";
    private static final String DEFAULT_WIRESERVER = "http://168.63.129.16";
    /** Upstream waits up to 66 s for its freeze binary to report the freeze. */
    private static final Duration FREEZE_WAIT = Duration.ofSeconds(66);

    private final HandlerPaths paths;
    private final Map<String, String> env;
    private final Clock clock;
    private final BackupJournal journal;
    private final Supplier<PluginHost> journaledPluginHosts;
    private final MountSource mounts;
    private final TaskRegistry tasks;
    private final LogHold logHold;
    private final Supplier<List<String>> logLines;
    private final Redactor redactor;
    private final long pid;
    private final String version;

    /**
     * @param journal              receives each phase's start and end (the plugin host's phases, the freeze window)
     * @param journaledPluginHosts plugin hosts whose scripts are journaled as they start
     */
    BackupWiring(HandlerPaths paths, Map<String, String> env, Clock clock, BackupJournal journal,
                 Supplier<PluginHost> journaledPluginHosts, MountSource mounts, TaskRegistry tasks, LogHold logHold,
                 Supplier<List<String>> logLines, Redactor redactor, long pid, String version) {
        this.paths = paths;
        this.env = Map.copyOf(env);
        this.clock = clock;
        this.journal = journal;
        this.journaledPluginHosts = journaledPluginHosts;
        this.mounts = mounts;
        this.tasks = tasks;
        this.logHold = logHold;
        this.logLines = logLines;
        this.redactor = redactor;
        this.pid = pid;
        this.version = version;
    }

    @Override
    public BackupOutcome run(BackupRequest request, Cancellation cancellation) throws IOException {
        // The plugin host (read, verified, defined, its config parsed) loads on a second thread beside
        // the HTTP client's set-up and the transitioning upload: neither needs the other, and the
        // backup takes the host only after both, before its first script.
        CompletableFuture<PluginHost> pluginHost = CompletableFuture.supplyAsync(journaledPluginHosts,
                task -> daemon("pluginhost-load", task).start());
        URI wireServer = wireServer(env);
        ProxyConfig proxies = ProxyConfig.from(env);
        // Both proxies' passwords: https_proxy and http_proxy may each carry their own.
        List<ProxyCredentials> credentials = StorageHttp.credentials(proxies);
        credentials.forEach(c -> redactor.addSecret(c.password()));
        if (!credentials.isEmpty()) {
            // The runtime's net.properties refuses Basic inside a CONNECT; the proxy's own credentials
            // go to the proxy only (StorageHttp answers nothing else), so the rule has nothing to protect here.
            System.setProperty(StorageHttp.TUNNELING_DISABLED_SCHEMES, "");
        }
        StorageTrust trust = new StorageTrust(CaStore.from(env, SystemWiring.handlerUid()));
        LOG.info("network storageProxy=\"{}\" hostCalls=direct wireServer={}", proxies.describe(), wireServer);
        proxies.problems().forEach(p -> LOG.warn("network problem=\"{}\"", p));
        HttpClient http = StorageHttp.client(proxies, wireServer, trust);
        // The backup's own reading of vmbackup.conf logs why it was ignored; this one only asks a
        // question, once for the backup's three uploads (transitioning, final, logs).
        boolean uploads = new VmBackupConf(paths.configDir(), ignoredWarning -> { }).parse().uploadStatusAndLog();
        OutcomeReporter reporter = new OutcomeReporter(new BlobUploader(http, redactor), tasks, logLines, machineId(),
                version, clock, () -> uploads,
                () -> Map.of(OutcomeReporter.STORAGE_PROXY, proxies.describe(), "caStore", trust.describe()),
                this::usedSize);
        return new JournaledBackupJob(journal, new SnapshotBackup(services(http, wireServer, pluginHost)), reporter, pid)
                .run(request, cancellation);
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** The loaded host, or what went wrong loading it, as if it had been loaded on this thread. */
    private static PluginHost joined(CompletableFuture<PluginHost> pluginHost) {
        try {
            return pluginHost.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error cause) {
                throw cause;
            }
            throw e;
        }
    }

    static URI wireServer(Map<String, String> env) {
        return URI.create(env.getOrDefault(WIRESERVER_VARIABLE, DEFAULT_WIRESERVER));
    }

    private BackupServices services(HttpClient http, URI wireServer, CompletableFuture<PluginHost> pluginHost) {
        Snapshotter snapshotter = new Snapshotter(new GuestSnapshotter(http, clock),
                new HostSnapshotter(http, wireServer, HostSnapshotter.DEFAULT_TIMEOUT, clock), clock);
        FreezeRecordStore records = new FreezeRecordStore(paths.runDir());
        HelperFreezer helper = new HelperFreezer(SystemWiring.freezeHelper(paths), new SystemHelperLauncher(),
                records, SystemWiring.PROC, clock, FREEZE_WAIT, SystemWiring.THAW_WAIT);
        // Azure Site Recovery's lock is where upstream takes it, under /etc/azure (VMSNAPSHOT_CONFIG_DIR).
        ExclusiveFreezer freezer = new ExclusiveFreezer(helper,
                new SafeFreezeLock(paths.configDir(), SafeFreezeLock.UPSTREAM_PAUSES, d -> Thread.sleep(d.toMillis())),
                records.lock(), ExclusiveFreezer.RECORD_LOCK_WAIT);
        return new BackupServices(() -> new JournaledPluginHost(joined(pluginHost), journal), mounts,
                new JournaledFreezer(freezer, journal), snapshotter, logHold, new VmBackupConf(paths.configDir()), clock);
    }

    /** After the thaw, for the final status: statvfs of the local file systems of the request's disks. */
    private UsedSize usedSize(BackupRequest request) {
        IncludedDisks disks = request.settings().publicSettings().objectStr().includedDisks();
        SizeScope scope = new SizeScope(disks.includeLunList(), disks.isAnyDiskExcluded(),
                request.settings().onlyOsDiskBackup());
        try {
            return new UsedSpace(env, SystemWiring.SYS, new ResourceDiskLocator(SystemWiring.SYS, SystemWiring.DEV)
                    .devices(), UsedSpace.SpaceProbe.STATVFS)
                    .measure(new MountTable(SystemWiring.PROC.resolve("self").resolve("mountinfo")).read(), scope);
        } catch (HandlerException e) {
            LOG.warn("used-size-failed code={} detail={}", e.errorCode().upstreamName(), e.detail());
            return UsedSize.UNKNOWN;
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

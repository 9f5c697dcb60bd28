package io.vmsnapshot.backup;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.freeze.VmBackupSettings;
import io.vmsnapshot.prepost.Finding;
import io.vmsnapshot.prepost.PhaseResult;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.Precheck;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import io.vmsnapshot.settings.CustomSettings;
import io.vmsnapshot.settings.HandlerSettings;
import io.vmsnapshot.snapshot.SnapshotRequest;
import io.vmsnapshot.status.StatusType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup: too-late check, plugin host check, pre-scripts, freeze–snapshot–thaw, post-scripts
 * (always once the pre phase started), then the verdict. The post phase runs in a {@code finally}:
 * an application is never left quiesced, whatever went wrong between. It reports nothing itself:
 * the verdict goes back to the caller, which has the report package say it everywhere.
 */
public final class SnapshotBackup implements BackupJob {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotBackup.class);
    /** Upstream's auto-thaw when vmbackup.conf says nothing. */
    static final Duration DEFAULT_FREEZE_TIMEOUT = Duration.ofSeconds(60);
    /** Upstream's SafeFreezeWaitInSeconds when vmbackup.conf says nothing. */
    static final Duration DEFAULT_FREEZE_WAIT = Duration.ofSeconds(66);

    private final BackupServices services;

    public SnapshotBackup(BackupServices services) {
        this.services = Objects.requireNonNull(services, "services");
    }

    @Override
    public BackupResult run(BackupRequest request, Cancellation cancellation) {
        HandlerSettings settings = request.settings();
        PhaseTimeline timeline = new PhaseTimeline(services.clock());
        Optional<Duration> late = CommandDeadline.tooLate(settings.publicSettings().commandStartTimeUTCTicks(),
                services.clock().instant());
        if (late.isPresent()) {
            BackupVerdict verdict = new BackupVerdict(StatusType.ERROR, ErrorCode.COMMAND_TOO_LATE, Consistency.NONE,
                    ErrorCode.COMMAND_TOO_LATE, "too late");
            String detail = "The command was sent " + late.get().toMinutes() + " minutes ago; the limit is "
                    + CommandDeadline.LIMIT.toMinutes() + ".";
            return new BackupResult(verdict, detail, FreezeSnapshotResult.notReached(), timeline.phases(),
                    timeline.total(), Optional.empty(), List.of());
        }
        // Read once, before anything runs: its warnings belong in the status even when the backup
        // stops before the snapshot, and every value of one backup comes from the same version of it.
        VmBackupSettings conf = services.vmBackupConf().parse();
        PluginHost host = services.pluginHosts().get();
        Precheck precheck = host.precheck();
        boolean singleDisk = SnapshotRequests.singleDisk(settings);
        String taskId = settings.publicSettings().taskId();
        PhaseResult pre = null;
        PhaseResult post = null;
        FreezeSnapshotResult window = FreezeSnapshotResult.notReached();
        try {
            if (precheck.runsScripts() && !cancellation.isCancelled()) {
                long start = timeline.now();
                pre = cancellation.interruptible(() -> host.run(ScriptPhase.PRE, new ScriptContext(taskId, Map.of())));
                timeline.record("pre", start);
            }
            Optional<ErrorCode> preError = firstError(pre);
            boolean stop = cancellation.isCancelled() || ResultPolicy.stopsBeforeSnapshot(preError,
                    precheck.continueBackupOnFailure(), singleDisk);
            if (!stop) {
                window = freezeAndSnapshot(settings, conf, precheck.fsFreezeEnabled(), timeline, cancellation);
            }
        } catch (RuntimeException e) {
            // A fault of ours inside the window (the thaw and the log release already ran in the
            // step's finally): upstream's code 2, reported like any outcome so the status blob does
            // not stay "transitioning" until the service gives up.
            LOG.error("freeze-snapshot-crashed", e);
            window = new FreezeSnapshotResult(FreezeState.FAILED, Optional.of(ErrorCode.SYSTEM_ERROR),
                    "The freeze or the snapshot failed unexpectedly: " + e, Optional.empty(), false, 0);
        } finally {
            if (pre != null) {
                long start = timeline.now();
                post = host.run(ScriptPhase.POST, new ScriptContext(taskId,
                        Map.of(ScriptContext.SNAPSHOT_OUTCOME_ENV, window.outcomeWord())));
                timeline.record("post", start);
            }
        }
        BackupFacts facts = new BackupFacts(precheck.firstError().map(Finding::error),
                pre != null && pre.applicationConsistent(),
                firstError(pre), firstError(post), precheck.continueBackupOnFailure(), singleDisk,
                // File systems that thawed before the snapshot ended were not frozen for it: a failed
                // freeze, whose code (121/122) must win over "no snapshot" (76).
                window.inconsistent() ? FreezeState.FAILED : window.freeze(),
                window.freezeError(), window.snapshotTaken() && !window.inconsistent(), window.snapshotError(),
                window.allDisksFailed());
        BackupVerdict verdict = cancellation.isCancelled() && window.snapshot().isEmpty()
                ? new BackupVerdict(StatusType.ERROR, ErrorCode.BACKUP_INTERRUPTED, Consistency.NONE,
                ErrorCode.BACKUP_INTERRUPTED, "stopped")
                : ResultPolicy.decide(facts);
        String detail = detail(precheck, pre, post, window);
        LOG.info("backup-verdict status={} code={} consistency={} health={} reason={}", verdict.status(),
                verdict.code().upstreamName(), verdict.consistency(), verdict.healthCode().code(), verdict.reason());
        return new BackupResult(verdict, detail, window, timeline.phases(), timeline.total(),
                Optional.of(new BackupResult.Scripts(precheck.scriptsConfigured(), pre != null)),
                warnings(precheck, conf, request.messages(), pre, post));
    }

    /**
     * What the status says beside the verdict: the precheck's warnings (a customer file read in
     * another way than written, or ignored), vmbackup.conf's, and every script that succeeded only
     * after retries (a flaky script, before it fails for good).
     */
    private static List<String> warnings(Precheck precheck, VmBackupSettings conf, Messages messages,
                                         PhaseResult... phases) {
        List<String> warnings = new ArrayList<>(precheck.warnings());
        warnings.addAll(conf.warnings());
        Stream.of(phases).filter(Objects::nonNull).flatMap(p -> p.scripts().stream())
                .filter(s -> s.succeeded() && s.attempts() > 1)
                .forEach(s -> warnings.add(messages.format("script.retried." + s.phase().label(),
                        s.script(), s.plugin(), s.attempts())));
        return warnings;
    }

    private FreezeSnapshotResult freezeAndSnapshot(HandlerSettings settings, VmBackupSettings conf,
                                                   boolean fsFreezeEnabled, PhaseTimeline timeline,
                                                   Cancellation cancellation) {
        SnapshotRequest request;
        try {
            request = SnapshotRequests.from(settings, conf.snapshotMethod());
        } catch (HandlerException e) {
            return new FreezeSnapshotResult(FreezeState.FAILED, Optional.of(e.errorCode()), e.detail(),
                    Optional.empty(), false, 0);
        }
        FreezeSnapshotStep step = new FreezeSnapshotStep(services.mounts(), services.freezer(),
                services.snapshotter(), services.logHold(), services.clock());
        Duration timeout = conf.freezeTimeout().orElse(DEFAULT_FREEZE_TIMEOUT);
        return step.run(request, settings.publicSettings().commandStartTimeUTCTicks(), fsFreezeEnabled,
                crashConsistentAllowed(settings), timeout, freezeWait(conf, timeout), conf.mountsToSkip(), timeline,
                cancellation);
    }

    /**
     * SafeFreezeWaitInSeconds (66 s by default), but never longer than the snapshot budget: a freeze
     * that ends after it leaves the snapshot no time before the auto-thaw, and waiting longer would
     * only keep the application quiesced.
     */
    static Duration freezeWait(VmBackupSettings conf, Duration freezeTimeout) {
        Duration wanted = conf.safeFreezeWait().orElse(DEFAULT_FREEZE_WAIT);
        Duration budget = FreezeSnapshotStep.snapshotBudget(freezeTimeout);
        if (wanted.compareTo(budget) <= 0) {
            return wanted;
        }
        if (conf.safeFreezeWait().isPresent()) {
            LOG.warn("safe-freeze-wait-capped SafeFreezeWaitInSeconds={} usedSeconds={} timeout={}"
                    + " reason=snapshot-budget action=raise-timeout-in-vmbackup.conf-too", wanted.toSeconds(),
                    budget.toSeconds(), freezeTimeout.toSeconds());
        }
        return budget;
    }

    /** Upstream's allowance: a managed single-LUN VM whose service retry may take a crash-consistent snapshot. */
    private static boolean crashConsistentAllowed(HandlerSettings settings) {
        try {
            Optional<CustomSettings> custom = settings.customSettings();
            return custom.isPresent() && custom.get().isManagedVm() && custom.get().canTakeCrashConsistentSnapshot()
                    && custom.get().backupRetryCount() > 0
                    && settings.publicSettings().objectStr().includedDisks().includeLunList().size() == 1;
        } catch (HandlerException e) {
            return false;
        }
    }

    private static Optional<ErrorCode> firstError(PhaseResult phase) {
        return phase == null ? Optional.empty() : phase.firstError().map(Finding::error);
    }

    /** Every problem, not only the first: several plugins failing are all reported. */
    private static String detail(Precheck precheck, PhaseResult pre, PhaseResult post, FreezeSnapshotResult window) {
        Stream<Finding> scripts = Stream.of(pre, post).filter(Objects::nonNull).flatMap(p -> p.errors().stream());
        List<Finding> findings = Stream.concat(precheck.findings().stream(), scripts).toList();
        List<String> parts = findings.stream().map(f -> f.error().displayName() + ": " + f.detail())
                .collect(Collectors.toList());
        if (!window.freezeDetail().isEmpty()) {
            parts.add(window.freezeDetail());
        }
        window.snapshot().map(s -> s.detail()).filter(d -> !d.isBlank()).ifPresent(parts::add);
        if (parts.size() == 1) {
            // The message already starts with the error's name; a freeze or snapshot detail is
            // used as is (it may itself start with "/data: ...").
            return findings.size() == 1 ? findings.get(0).detail() : parts.get(0);
        }
        return String.join(" | ", parts);
    }
}

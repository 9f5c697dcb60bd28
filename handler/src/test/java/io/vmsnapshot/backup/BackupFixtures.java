package io.vmsnapshot.backup;

import io.vmsnapshot.agent.HandlerEnvironment;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.freeze.FreezeSession;
import io.vmsnapshot.freeze.Freezer;
import io.vmsnapshot.freeze.Mount;
import io.vmsnapshot.freeze.MountThaw;
import io.vmsnapshot.freeze.ThawResult;
import io.vmsnapshot.freeze.ThawTrigger;
import io.vmsnapshot.logging.LogHold;
import io.vmsnapshot.prepost.Finding;
import io.vmsnapshot.prepost.PhaseResult;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.Precheck;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import io.vmsnapshot.prepost.ScriptResult;
import io.vmsnapshot.settings.HandlerSettings;
import io.vmsnapshot.settings.IncludedDisks;
import io.vmsnapshot.settings.KeyValue;
import io.vmsnapshot.settings.ProtectedSettings;
import io.vmsnapshot.settings.PublicObject;
import io.vmsnapshot.settings.PublicSettings;
import io.vmsnapshot.snapshot.PreparedSnapshot;
import io.vmsnapshot.snapshot.SnapshotCreator;
import io.vmsnapshot.snapshot.SnapshotInfo;
import io.vmsnapshot.snapshot.SnapshotOutcome;
import io.vmsnapshot.snapshot.SnapshotTelemetry;
import io.vmsnapshot.snapshot.SnapshotRequest;
import io.vmsnapshot.snapshot.SnapshotTaker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Hand-written fakes for one backup; every call is recorded in one shared, ordered event list. */
final class BackupFixtures {
    static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    static final Mount DATA = new Mount("/dev/sdc1", Path.of("/data"), "ext4", "8:33");
    static final Mount ROOT = new Mount("/dev/sda1", Path.of("/"), "ext4", "8:1");

    private BackupFixtures() {
    }

    /** The event log all fakes write to, in call order (uploads come from the HTTP server's threads). */
    static final class Events {
        private final List<String> events = Collections.synchronizedList(new ArrayList<>());

        void add(String event) {
            events.add(event);
        }

        List<String> all() {
            synchronized (events) {
                return List.copyOf(events);
            }
        }

        List<String> between(String first, String last) {
            List<String> all = all();
            return all.subList(all.indexOf(first), all.lastIndexOf(last) + 1);
        }
    }

    static final class FakePluginHost implements PluginHost {
        private final Events events;
        Precheck precheck = new Precheck(List.of(), true, true, true, true, List.of());
        PhaseResult pre = succeeded(ScriptPhase.PRE);
        PhaseResult post = succeeded(ScriptPhase.POST);
        final List<ScriptContext> contexts = new ArrayList<>();
        /** Runs inside the pre phase, e.g. a stop request arriving while the pre-scripts run. */
        Runnable duringPre = () -> { };

        FakePluginHost(Events events) {
            this.events = events;
        }

        void settings(boolean continueBackupOnFailure, boolean fsFreezeEnabled) {
            precheck = new Precheck(List.of(), true, true, fsFreezeEnabled, continueBackupOnFailure, List.of());
        }

        @Override
        public Precheck precheck() {
            events.add("precheck");
            return precheck;
        }

        @Override
        public PhaseResult run(ScriptPhase phase, ScriptContext context) {
            events.add(phase.label());
            contexts.add(context);
            if (phase == ScriptPhase.PRE) {
                duringPre.run();
            }
            return phase == ScriptPhase.PRE ? pre : post;
        }

        ScriptContext postContext() {
            return contexts.get(contexts.size() - 1);
        }
    }

    /** One script ran once and exited 0: a pre phase like this quiesced the application. */
    static PhaseResult succeeded(ScriptPhase phase) {
        return new PhaseResult(phase, List.of(new ScriptResult("ScriptRunner#0", phase, "/etc/azure/" + phase.label()
                + ".sh", 1, 0, null, false, 1, List.of(), Optional.empty())), List.of(), true);
    }

    static PhaseResult failed(ScriptPhase phase, ErrorCode error) {
        return new PhaseResult(phase, List.of(), List.of(new Finding(error, phase.label() + ".sh exited with 1")), false);
    }

    static final class FakeFreezer implements Freezer {
        private final Events events;
        RuntimeException unexpected;
        HandlerException failure;
        ThawResult thawResult = new ThawResult(ThawTrigger.REQUEST,
                List.of(new MountThaw(DATA.mountPoint(), MountThaw.Outcome.THAWED, "")), 40);
        Duration timeout;
        Duration freezeWait;
        List<Mount> frozen;
        int thaws;

        FakeFreezer(Events events) {
            this.events = events;
        }

        @Override
        public FreezeSession freeze(List<Mount> mounts, Duration timeout, Duration freezeWait) throws HandlerException {
            this.freezeWait = freezeWait;
            return freeze(mounts, timeout);
        }

        @Override
        public FreezeSession freeze(List<Mount> mounts, Duration timeout) throws HandlerException {
            events.add("freeze");
            this.timeout = timeout;
            this.frozen = mounts;
            if (unexpected != null) {
                throw unexpected;
            }
            if (failure != null) {
                throw failure;
            }
            return () -> {
                events.add("thaw");
                thaws++;
                return thawResult;
            };
        }
    }

    static final class FakeSnapshotTaker implements SnapshotTaker {
        private final Events events;
        SnapshotOutcome outcome = succeeded(1);
        RuntimeException unexpected;
        /** What PreSnapshot's responseTime said, if the host was asked. */
        Optional<Instant> hostTime = Optional.empty();
        Instant deadline;
        SnapshotRequest request;
        int takes;
        /** Runs inside prepare, e.g. a stop request arriving while PreSnapshot hangs. */
        Runnable duringPrepare = () -> { };

        FakeSnapshotTaker(Events events) {
            this.events = events;
        }

        @Override
        public PreparedSnapshot prepare(SnapshotRequest request) {
            events.add("prepare");
            this.request = request;
            duringPrepare.run();
            Optional<Instant> time = hostTime;
            return new PreparedSnapshot() {
                @Override
                public Optional<Instant> hostTime() {
                    return time;
                }

                @Override
                public SnapshotOutcome take(Instant deadline) {
                    events.add("snapshot");
                    takes++;
                    FakeSnapshotTaker.this.deadline = deadline;
                    if (unexpected != null) {
                        throw unexpected;
                    }
                    return outcome;
                }
            };
        }
    }

    static SnapshotOutcome succeeded(int disks) {
        List<SnapshotInfo> infos = new ArrayList<>();
        for (int i = 0; i < disks; i++) {
            String blob = "https://acct.blob.core.windows.net/vhds/disk" + i + ".vhd";
            infos.add(new SnapshotInfo(true, blob + "?snapshot=2025-03-01T10:00:01.0000000Z", null, blob, null, 201));
        }
        return new SnapshotOutcome(infos, SnapshotCreator.GUEST, Optional.empty(), Optional.empty(), "",
                new SnapshotTelemetry(Optional.of(SnapshotCreator.GUEST), OptionalInt.empty(), OptionalInt.empty(),
                        Optional.empty()));
    }

    static SnapshotOutcome allFailed() {
        String blob = "https://acct.blob.core.windows.net/vhds/disk0.vhd";
        return new SnapshotOutcome(List.of(new SnapshotInfo(false, null, "ServerBusy", blob, null, 503)),
                SnapshotCreator.GUEST, Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK),
                Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK), "disk 1 failed", SnapshotTelemetry.NONE);
    }

    static final class RecordingLogHold implements LogHold {
        private final Events events;
        private boolean held;

        RecordingLogHold(Events events) {
            this.events = events;
        }

        @Override
        public void hold() {
            if (held) {
                throw new AssertionError("held twice");
            }
            held = true;
            events.add("hold");
        }

        @Override
        public void release() {
            if (!held) {
                throw new AssertionError("released without hold");
            }
            held = false;
            events.add("release");
        }
    }

    /** Settings of a backup request, varied one field at a time. */
    static final class Request {
        String taskId = "task-1";
        String locale = "en-US";
        String statusBlobUri = "";
        String logsBlobUri = "";
        Optional<Long> ticks = Optional.empty();
        String vmType = "microsoft.compute/virtualmachines";
        Optional<String> customSettings = Optional.empty();
        List<Integer> dataLuns = List.of(0, 1);
        boolean osDisk = true;
        List<String> blobs = List.of("https://acct.blob.core.windows.net/vhds/os.vhd?sv=1&sig=s0",
                "https://acct.blob.core.windows.net/vhds/d0.vhd?sv=1&sig=s1",
                "https://acct.blob.core.windows.net/vhds/d1.vhd?sv=1&sig=s2");
        List<KeyValue> dynamic = List.of();

        Request singleDisk() {
            dataLuns = List.of();
            blobs = blobs.subList(0, 1);
            return this;
        }

        HandlerSettings settings() {
            IncludedDisks disks = new IncludedDisks(dataLuns, osDisk, false, false, Optional.empty(), false, false,
                    false, false);
            PublicObject object = new PublicObject(List.of(new KeyValue("backupId", "b-1")), "token-xyz", disks,
                    dynamic);
            PublicSettings pub = new PublicSettings("snapshot", taskId, locale, logsBlobUri, statusBlobUri, ticks,
                    vmType, customSettings, object);
            return new HandlerSettings(pub, new ProtectedSettings(blobs, "", "", "", Optional.empty()));
        }

        BackupRequest request() {
            HandlerEnvironment env = new HandlerEnvironment("Microsoft.Azure.RecoveryServices.VMSnapshotLinux",
                    Path.of("/var/log/azure/x"), Path.of("/var/lib/waagent/x/config"),
                    Path.of("/var/lib/waagent/x/status"), Path.of("/var/lib/waagent/x/heartbeat.log"),
                    Optional.empty());
            return new BackupRequest(7, settings(), env, Messages.forLocale(locale));
        }
    }

    /** .NET ticks (100 ns since 0001-01-01) of an instant. */
    static long ticks(Instant instant) {
        return 621_355_968_000_000_000L + instant.getEpochSecond() * 10_000_000L + instant.getNano() / 100;
    }
}

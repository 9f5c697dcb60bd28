package io.vmsnapshot.lifecycle;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.settings.HandlerSettings;
import io.vmsnapshot.settings.SettingsReader;
import io.vmsnapshot.settings.SettingsScrubber;
import io.vmsnapshot.status.FormattedMessage;
import io.vmsnapshot.status.Heartbeat;
import io.vmsnapshot.status.HeartbeatWriter;
import io.vmsnapshot.status.StatusFileWriter;
import io.vmsnapshot.status.StatusReport;
import io.vmsnapshot.status.StatusType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Install is the training run of the class-data-sharing archive the launcher dumps when install
 * exits: whatever install loads, every later command finds mapped instead of loaded. So install
 * walks enable's path once — decrypt a throwaway request (a certificate made for this and nothing
 * else), scrub it, write a status, a heartbeat and a task record, start a process — and loads the
 * worker's classes, in a scratch directory it removes. It never fails the install: a slower start is no reason to.
 */
final class CdsTraining {
    private static final Logger LOG = LoggerFactory.getLogger(CdsTraining.class);
    private static final String THUMBPRINT = "910671996CC403AD610B496CF31F399E96B657F1";
    private static final List<String> WORKER_CLASSES = List.of(
            "io.vmsnapshot.backup.SnapshotBackup", "io.vmsnapshot.backup.FreezeSnapshotStep",
            "io.vmsnapshot.backup.StatusPublisher", "io.vmsnapshot.backup.StatusDocuments",
            "io.vmsnapshot.backup.ResultPolicy", "io.vmsnapshot.backup.SnapshotRequests",
            "io.vmsnapshot.freeze.HelperFreezer", "io.vmsnapshot.freeze.FreezeEligibility",
            "io.vmsnapshot.freeze.MountTable", "io.vmsnapshot.freeze.FreezeRecovery",
            "io.vmsnapshot.snapshot.Snapshotter", "io.vmsnapshot.snapshot.GuestSnapshotter",
            "io.vmsnapshot.snapshot.HostSnapshotter", "io.vmsnapshot.prepost.PluginHostLoader",
            "io.vmsnapshot.process.GroupProcessLauncher", "java.net.http.HttpClient");

    private CdsTraining() {
    }

    static void run(Path scratch, Clock clock) {
        try {
            walkEnablePath(scratch, clock);
            for (String name : WORKER_CLASSES) {
                Class.forName(name, false, CdsTraining.class.getClassLoader());
            }
            LOG.info("cds-training-done");
        } catch (IOException | HandlerException | ClassNotFoundException | RuntimeException e) {
            LOG.warn("cds-training-skipped error={}", e.toString());
        } finally {
            try {
                UninstallCommand.deleteTree(scratch);
            } catch (IOException e) {
                LOG.warn("cds-training-cleanup-failed dir={} error={}", scratch, e.toString());
            }
        }
    }

    private static void walkEnablePath(Path scratch, Clock clock) throws IOException, HandlerException {
        Path config = Files.createDirectories(scratch.resolve("config"));
        Path certificates = Files.createDirectories(scratch.resolve("lib"));
        copy("training.crt", certificates.resolve(THUMBPRINT + ".crt"));
        copy("training.prv", certificates.resolve(THUMBPRINT + ".prv"));
        Path settingsFile = copy("0.settings", config.resolve("0.settings"));
        HandlerSettings settings = new SettingsReader(certificates).read(settingsFile);
        new SettingsScrubber().stripProtectedSettings(settingsFile);
        Messages messages = Messages.forLocale(settings.publicSettings().locale());
        String text = messages.describe(ErrorCode.TRANSITIONING, null);
        new StatusFileWriter(Files.createDirectories(scratch.resolve("status"))).write(0, new StatusReport(
                HandlerName.DEFAULT, "Enable", StatusType.TRANSITIONING, ErrorCode.TRANSITIONING.code(),
                new FormattedMessage(messages.languageTag(), text), List.of(), clock.instant()));
        new HeartbeatWriter(scratch.resolve("heartbeat.log")).write(new Heartbeat("Ready", 0,
                new FormattedMessage(messages.languageTag(), text)));
        TaskRegistry tasks = new TaskRegistry(scratch.resolve("tasks.json"));
        tasks.put(new TaskRecord("cds-training", 0, StatusType.TRANSITIONING, ErrorCode.TRANSITIONING.code(), text,
                messages.languageTag(), clock.millis()));
        tasks.find("cds-training");
        spawnLikeTheWorkerLaunch(scratch);
    }

    /** Enable's last step starts a process; the JDK's process classes are then mapped too. */
    private static void spawnLikeTheWorkerLaunch(Path scratch) throws IOException {
        Process process = new ProcessBuilder(List.of("/bin/sh", "-c", "exit 0")).directory(scratch.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path copy(String resource, Path target) throws IOException {
        try (InputStream in = CdsTraining.class.getResourceAsStream("training/" + resource)) {
            if (in == null) {
                throw new IOException("resource training/" + resource + " is missing from the handler jar");
            }
            Files.copy(in, target);
        }
        return target;
    }
}

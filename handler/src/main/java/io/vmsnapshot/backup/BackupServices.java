package io.vmsnapshot.backup;

import io.vmsnapshot.report.BlobUploader;
import io.vmsnapshot.report.StatusDocuments;
import io.vmsnapshot.freeze.Freezer;
import io.vmsnapshot.freeze.VmBackupConf;
import io.vmsnapshot.logging.LogHold;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.snapshot.SnapshotTaker;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What one backup uses, passed in so that tests can replace each: the plugin host (loaded from
 * verified bytes in production), mounts, freezer, snapshotter, uploads, the log to hold, the clock.
 *
 * @param logLines every line this process logged, for the logs blob
 */
public record BackupServices(Supplier<PluginHost> pluginHosts, MountSource mounts, Freezer freezer,
                             SnapshotTaker snapshotter, BlobUploader uploader, StatusDocuments documents,
                             LogHold logHold, Supplier<List<String>> logLines, VmBackupConf vmBackupConf,
                             Clock clock, String uniqueMachineId, String version) {
    public BackupServices {
        Objects.requireNonNull(pluginHosts, "pluginHosts");
        Objects.requireNonNull(mounts, "mounts");
        Objects.requireNonNull(freezer, "freezer");
        Objects.requireNonNull(snapshotter, "snapshotter");
        Objects.requireNonNull(uploader, "uploader");
        Objects.requireNonNull(documents, "documents");
        Objects.requireNonNull(logHold, "logHold");
        Objects.requireNonNull(logLines, "logLines");
        Objects.requireNonNull(vmBackupConf, "vmBackupConf");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(uniqueMachineId, "uniqueMachineId");
        Objects.requireNonNull(version, "version");
    }
}

package io.vmsnapshot.backup;

import io.vmsnapshot.freeze.Freezer;
import io.vmsnapshot.freeze.VmBackupConf;
import io.vmsnapshot.logging.LogHold;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.snapshot.SnapshotTaker;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The services one backup's flow calls, passed in so that tests can replace each: the plugin host
 * (loaded from verified bytes in production), mounts, freezer, snapshotter, the log to hold while
 * frozen, the customer's vmbackup.conf and the clock. Nothing here reports: that is the report package's.
 */
public record BackupServices(Supplier<PluginHost> pluginHosts, MountSource mounts, Freezer freezer,
                             SnapshotTaker snapshotter, LogHold logHold, VmBackupConf vmBackupConf, Clock clock) {
    public BackupServices {
        Objects.requireNonNull(pluginHosts, "pluginHosts");
        Objects.requireNonNull(mounts, "mounts");
        Objects.requireNonNull(freezer, "freezer");
        Objects.requireNonNull(snapshotter, "snapshotter");
        Objects.requireNonNull(logHold, "logHold");
        Objects.requireNonNull(vmBackupConf, "vmBackupConf");
        Objects.requireNonNull(clock, "clock");
    }
}

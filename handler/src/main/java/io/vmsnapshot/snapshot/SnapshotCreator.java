package io.vmsnapshot.snapshot;

/** Who took the snapshots that were reported; the names are upstream's telemetry values. */
public enum SnapshotCreator {
    GUEST("guestExtension"),
    HOST("backupHostService");

    private final String telemetryName;

    SnapshotCreator(String telemetryName) {
        this.telemetryName = telemetryName;
    }

    public String telemetryName() {
        return telemetryName;
    }
}

package io.vmsnapshot.backup;

/** The consistency a snapshot actually reached; numbers as the service reads {@code snapshotConsistency}. */
public enum Consistency {
    NONE(0, "none"),
    FILE_SYSTEM(1, "fileSystemConsistent"),
    APPLICATION(2, "applicationConsistent"),
    CRASH(3, "crashConsistent");

    private final int value;
    private final String telemetryName;

    Consistency(int value, String telemetryName) {
        this.value = value;
        this.telemetryName = telemetryName;
    }

    public int value() {
        return value;
    }

    public String telemetryName() {
        return telemetryName;
    }
}

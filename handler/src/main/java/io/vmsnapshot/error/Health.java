package io.vmsnapshot.error;

/** The VM health state the Azure Backup service reads from {@code vmHealthInfo.vmHealthState}. */
public enum Health {
    GREEN(0),
    /** The backup is usable but not what was asked for (e.g. not application consistent). */
    YELLOW(128),
    RED(256);

    private final int state;

    Health(int state) {
        this.state = state;
    }

    public int state() {
        return state;
    }
}

package io.vmsnapshot.lifecycle;

/**
 * Process exit codes. The agent only distinguishes zero from non-zero, and records the number:
 * named codes make its log say which kind of failure it was.
 */
public final class ExitCodes {
    public static final int SUCCESS = 0;
    /** The operator commands' "works, but the backup would not be application consistent". */
    public static final int NOT_APPLICATION_CONSISTENT = 1;
    public static final int USAGE = 2;
    public static final int FAILURE = 3;
    public static final int ENVIRONMENT_INVALID = 4;
    public static final int SETTINGS_INVALID = 5;
    public static final int STATUS_UNWRITABLE = 6;
    public static final int BUSY = 7;
    /** As the reference custom-script handler: install failures are told apart. */
    public static final int INSTALL_FAILED = 52;

    private ExitCodes() {
    }
}

package io.vmsnapshot.lifecycle;

import io.vmsnapshot.prepost.CheckVerdict;

/**
 * Process exit codes, the handler's one table. The agent only distinguishes zero from non-zero,
 * and records the number: named codes make its log say which kind of failure it was. The
 * operator's {@code check} and {@code dry-run} answer with the first three.
 */
public final class ExitCodes {
    public static final int SUCCESS = 0;
    /** The operator commands' "works, but the backup would not be application consistent". */
    public static final int NOT_APPLICATION_CONSISTENT = 1;
    /** Wrong arguments. */
    public static final int USAGE = 2;
    /**
     * The operator commands' "something must be fixed first". The same number as {@link #USAGE}
     * (both: the operator must change something before it can work), kept because operators'
     * scripts and the reliability record (dry-run exits 2) rely on it.
     */
    public static final int MUST_FIX = 2;
    public static final int FAILURE = 3;
    public static final int ENVIRONMENT_INVALID = 4;
    public static final int SETTINGS_INVALID = 5;
    public static final int STATUS_UNWRITABLE = 6;
    public static final int BUSY = 7;
    /** As the reference custom-script handler: install failures are told apart. */
    public static final int INSTALL_FAILED = 52;

    private ExitCodes() {
    }

    /** The exit code of an operator command's verdict. */
    public static int of(CheckVerdict verdict) {
        return switch (verdict) {
            case APP_CONSISTENT -> SUCCESS;
            case NOT_CONFIGURED -> NOT_APPLICATION_CONSISTENT;
            case PROBLEMS -> MUST_FIX;
        };
    }
}

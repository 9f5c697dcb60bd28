package io.vmsnapshot.prepost;

/**
 * What {@code check} and {@code dry-run} conclude, worst last. The process exit code of each is the
 * lifecycle's (ExitCodes), so that the handler has one table of exit codes.
 */
public enum CheckVerdict {
    /** A backup would run the scripts: application consistent. */
    APP_CONSISTENT,
    /** No pre/post script is set up: backups are file-system (or crash) consistent. */
    NOT_CONFIGURED,
    /** Something must be fixed first. */
    PROBLEMS;

    public CheckVerdict worse(CheckVerdict other) {
        return compareTo(other) >= 0 ? this : other;
    }
}

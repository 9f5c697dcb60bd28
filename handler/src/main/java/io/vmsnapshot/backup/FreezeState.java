package io.vmsnapshot.backup;

/** What became of the freeze in one backup. */
public enum FreezeState {
    /** fsFreezeEnabled is false in the customer's config: their choice, not a failure. */
    DISABLED_BY_CONFIG,
    /** No eligible mount (or VMSNAPSHOT_FREEZE_MOUNTS set but empty): treated as success, as upstream. */
    NOTHING_TO_FREEZE,
    FROZEN,
    FAILED,
    /** Just before the freeze, the host's clock (or ours) said the command is older than the limit. */
    TOO_LATE,
    /** The backup ended before the freeze (too late at the start, pre-script policy, interrupted). */
    NOT_REACHED
}

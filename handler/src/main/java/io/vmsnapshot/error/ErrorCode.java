package io.vmsnapshot.error;

import java.util.Arrays;
import java.util.Optional;

/**
 * The one error catalogue. Numeric codes are the ones the Azure Backup service already knows
 * (upstream {@code ExtensionErrorCodeHelper}); the 19–29 range is ours, for faults of the agent
 * contract that upstream never reported. {@link #upstreamName} is what telemetry and the
 * {@code StatusCode.<Name>} suffix carry; {@link #seedName} is the name the customer documentation
 * uses. Localized texts live in {@code messages*.properties}, keyed by the constant's name.
 */
public enum ErrorCode {
    SUCCESS_APP_CONSISTENT(0, "success_appconsistent", Health.GREEN, Owner.PLATFORM, null),
    SUCCESS(1, "success", Health.GREEN, Owner.PLATFORM, null),
    SYSTEM_ERROR(2, "error", Health.GREEN, Owner.PLATFORM, null),
    SUCCESS_ALREADY_PROCESSED_INPUT(3, "SuccessAlreadyProcessedInput", Health.GREEN, Owner.PLATFORM, null),
    TRANSITIONING(4, "ExtensionTempTerminalState", Health.GREEN, Owner.PLATFORM, null),
    SETTINGS_INVALID(11, "error_parameter", Health.YELLOW, Owner.PLATFORM, null),
    CERTIFICATE_NOT_FOUND(16, "FailedHandlerGuestAgentCertificateNotFound", Health.YELLOW, Owner.PLATFORM, null),
    PROTECTED_SETTINGS_DECRYPT_FAILED(19, "FailedProtectedSettingsDecryption", Health.YELLOW, Owner.PLATFORM, null),
    HANDLER_ENVIRONMENT_INVALID(20, "FailedHandlerEnvironmentInvalid", Health.YELLOW, Owner.PLATFORM, null),
    JAVA_RUNTIME_MISSING(21, "FailedJavaRuntimeMissing", Health.YELLOW, Owner.PLATFORM, null),
    BACKUP_IN_PROGRESS(22, "FailedBackupAlreadyInProgress", Health.YELLOW, Owner.PLATFORM, null),
    BACKUP_INTERRUPTED(23, "FailedBackupInterrupted", Health.YELLOW, Owner.PLATFORM, null),
    NOT_IMPLEMENTED(29, "FailedNotImplemented", Health.YELLOW, Owner.PLATFORM, null),
    SNAPSHOT_FAILED_NO_NETWORK(76, "FailedRetryableSnapshotFailedNoNetwork", Health.RED, Owner.PLATFORM, null),
    SNAPSHOT_LIMIT_REACHED(85, "FailedSnapshotLimitReached", Health.RED, Owner.PLATFORM, null),
    FS_FREEZE_FAILED(121, "FailedRetryableFsFreezeFailed", Health.YELLOW, Owner.PLATFORM, null),
    FS_FREEZE_TIMEOUT(122, "FailedRetryableFsFreezeTimeout", Health.YELLOW, Owner.PLATFORM, null),
    FS_UNABLE_TO_OPEN_MOUNT(123, "FailedRetryableUnableToOpenMount", Health.YELLOW, Owner.PLATFORM, null),
    FS_FREEZE_HELPER_NOT_FOUND(124, "FailedSafeFreezeBinaryNotFound", Health.YELLOW, Owner.PLATFORM, null),
    SNAPSHOT_RATE_EXCEEDED(173, "FailedRetryableSnapshotRateExceeded", Health.GREEN, Owner.PLATFORM, null),
    PRE_SCRIPT_FAILED(300, "FailedPrepostPreScriptFailed", Health.YELLOW, Owner.CUSTOMER, "Pre-ScriptExecutionFailed"),
    POST_SCRIPT_FAILED(301, "FailedPrepostPostScriptFailed", Health.YELLOW, Owner.CUSTOMER, "Post-ScriptExecutionFailed"),
    PRE_SCRIPT_NOT_FOUND(302, "FailedPrepostPreScriptNotFound", Health.YELLOW, Owner.CUSTOMER, "Pre-ScriptNotFound"),
    POST_SCRIPT_NOT_FOUND(303, "FailedPrepostPostScriptNotFound", Health.YELLOW, Owner.CUSTOMER, "Post-ScriptNotFound"),
    PLUGINHOST_CONFIG_INVALID(304, "FailedPrepostPluginhostConfigParsing", Health.YELLOW, Owner.CUSTOMER, "IncorrectJSONConfigFile"),
    PLUGIN_CONFIG_INVALID(305, "FailedPrepostPluginConfigParsing", Health.YELLOW, Owner.CUSTOMER, "IncorrectJSONConfigFile"),
    PRE_SCRIPT_PERMISSION(306, "FailedPrepostPreScriptPermissionError", Health.YELLOW, Owner.CUSTOMER, "InsufficientPermissionforPre-Script"),
    POST_SCRIPT_PERMISSION(307, "FailedPrepostPostScriptPermissionError", Health.YELLOW, Owner.CUSTOMER, "InsufficientPermissionforPost-Script"),
    PRE_SCRIPT_TIMEOUT(308, "FailedPrepostPreScriptTimeout", Health.YELLOW, Owner.CUSTOMER, "Pre-ScriptTimeout"),
    POST_SCRIPT_TIMEOUT(309, "FailedPrepostPostScriptTimeout", Health.YELLOW, Owner.CUSTOMER, "Post-ScriptTimeout"),
    PLUGINHOST_PRE_TIMEOUT(310, "FailedPrepostPluginhostPreTimeout", Health.YELLOW, Owner.CUSTOMER, "Pre-ScriptTimeout"),
    PLUGINHOST_POST_TIMEOUT(311, "FailedPrepostPluginhostPostTimeout", Health.YELLOW, Owner.CUSTOMER, "Post-ScriptTimeout"),
    PLUGINHOST_CORRUPT(312, "FailedPrepostCheckSumMismatch", Health.YELLOW, Owner.PLATFORM, "IncorrectPluginhostFile"),
    PLUGINHOST_CONFIG_NOT_FOUND(313, "FailedPrepostPluginhostConfigNotFound", Health.YELLOW, Owner.CUSTOMER, "IncorrectJSONConfigFile"),
    PLUGINHOST_CONFIG_PERMISSION(314, "FailedPrepostPluginhostConfigPermissionError", Health.YELLOW, Owner.CUSTOMER, "IncorrectJSONConfigFile"),
    PLUGINHOST_CONFIG_OWNERSHIP(315, "FailedPrepostPluginhostConfigOwnershipError", Health.YELLOW, Owner.CUSTOMER, "IncorrectJSONConfigFile"),
    PLUGIN_CONFIG_NOT_FOUND(316, "FailedPrepostPluginConfigNotFound", Health.YELLOW, Owner.CUSTOMER, "IncorrectJSONConfigFile"),
    PLUGIN_CONFIG_PERMISSION(317, "FailedPrepostPluginConfigPermissionError", Health.YELLOW, Owner.CUSTOMER, "IncorrectJSONConfigFile"),
    PLUGIN_CONFIG_OWNERSHIP(318, "FailedPrepostPluginConfigOwnershipError", Health.YELLOW, Owner.CUSTOMER, "IncorrectJSONConfigFile"),
    WORKLOAD_PRE_FAILED(500, "FailedWorkloadPreError", Health.YELLOW, Owner.CUSTOMER, null),
    WORKLOAD_CONF_INVALID(501, "FailedWorkloadConfParsingError", Health.YELLOW, Owner.CUSTOMER, null),
    WORKLOAD_NAME_INVALID(503, "FailedWorkloadInvalidWorkloadName", Health.YELLOW, Owner.CUSTOMER, null),
    WORKLOAD_POST_FAILED(504, "FailedWorkloadPostError", Health.YELLOW, Owner.CUSTOMER, null),
    WORKLOAD_AUTHORIZATION_MISSING(505, "FailedWorkloadAuthorizationMissing", Health.YELLOW, Owner.CUSTOMER, null),
    WORKLOAD_CONNECTION_FAILED(506, "FailedWorkloadConnectionError", Health.YELLOW, Owner.CUSTOMER, null),
    WORKLOAD_QUIESCE_FAILED(509, "FailedWorkloadQuiescingError", Health.YELLOW, Owner.CUSTOMER, null),
    WORKLOAD_QUIESCE_TIMEOUT(510, "FailedWorkloadQuiescingTimeout", Health.YELLOW, Owner.CUSTOMER, null),
    WORKLOAD_NO_ARCHIVE_LOG(511, "FailedWorkloadDatabaseInNoArchiveLog", Health.YELLOW, Owner.CUSTOMER, null),
    COMMAND_TOO_LATE(402, "FailedGuestAgentInvokedCommandTooLate", Health.RED, Owner.PLATFORM, null),
    HOST_SNAPSHOT_REMOTE_SERVER_ERROR(556, "FailedHostSnapshotRemoteServerError", Health.RED, Owner.PLATFORM, null),
    SNAPSHOT_FAILED_RESTRICTED_NETWORK(761, "FailedRetryableSnapshotFailedRestrictedNetwork", Health.RED, Owner.PLATFORM, null);

    private final int code;
    private final String upstreamName;
    private final Health health;
    private final Owner owner;
    private final String seedName;

    ErrorCode(int code, String upstreamName, Health health, Owner owner, String seedName) {
        this.code = code;
        this.upstreamName = upstreamName;
        this.health = health;
        this.owner = owner;
        this.seedName = seedName;
    }

    public int code() {
        return code;
    }

    public String upstreamName() {
        return upstreamName;
    }

    public Health health() {
        return health;
    }

    public Owner owner() {
        return owner;
    }

    /** The name the customer documentation uses, e.g. {@code Pre-ScriptTimeout}, if it has one. */
    public Optional<String> seedName() {
        return Optional.ofNullable(seedName);
    }

    /** The name shown to people: the seed's where it has one, else upstream's. */
    public String displayName() {
        return seedName != null ? seedName : upstreamName;
    }

    public boolean isSuccess() {
        return this == SUCCESS_APP_CONSISTENT || this == SUCCESS || this == SUCCESS_ALREADY_PROCESSED_INPUT;
    }

    public static Optional<ErrorCode> ofCode(int code) {
        return Arrays.stream(values()).filter(e -> e.code == code).findFirst();
    }
}

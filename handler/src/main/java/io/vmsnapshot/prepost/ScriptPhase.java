package io.vmsnapshot.prepost;

import io.vmsnapshot.error.ErrorCode;

/**
 * The two moments a customer script runs. Everything that differs between them is data here, so
 * the plugin host has one code path for both.
 */
public enum ScriptPhase {
    PRE("pre", ErrorCode.PRE_SCRIPT_FAILED, ErrorCode.PRE_SCRIPT_NOT_FOUND, ErrorCode.PRE_SCRIPT_PERMISSION,
            ErrorCode.PRE_SCRIPT_TIMEOUT, ErrorCode.PLUGINHOST_PRE_TIMEOUT),
    POST("post", ErrorCode.POST_SCRIPT_FAILED, ErrorCode.POST_SCRIPT_NOT_FOUND, ErrorCode.POST_SCRIPT_PERMISSION,
            ErrorCode.POST_SCRIPT_TIMEOUT, ErrorCode.PLUGINHOST_POST_TIMEOUT);

    private final String label;
    private final ErrorCode failed;
    private final ErrorCode notFound;
    private final ErrorCode permission;
    private final ErrorCode timeout;
    private final ErrorCode hostTimeout;

    ScriptPhase(String label, ErrorCode failed, ErrorCode notFound, ErrorCode permission, ErrorCode timeout,
            ErrorCode hostTimeout) {
        this.label = label;
        this.failed = failed;
        this.notFound = notFound;
        this.permission = permission;
        this.timeout = timeout;
        this.hostTimeout = hostTimeout;
    }

    /** {@code pre} or {@code post}: the value of {@code VMSNAPSHOT_PHASE} and of the log's {@code phase=} key. */
    public String label() {
        return label;
    }

    public ErrorCode failed() {
        return failed;
    }

    public ErrorCode notFound() {
        return notFound;
    }

    public ErrorCode permission() {
        return permission;
    }

    public ErrorCode timeout() {
        return timeout;
    }

    public ErrorCode hostTimeout() {
        return hostTimeout;
    }
}

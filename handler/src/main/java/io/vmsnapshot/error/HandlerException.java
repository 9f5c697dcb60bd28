package io.vmsnapshot.error;

import java.util.Objects;

/**
 * A failure with its catalogue code and a specific detail: which file, which field, what to do.
 * The detail is shown to the operator as is, so it must never contain secrets.
 */
public class HandlerException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;

    public HandlerException(ErrorCode errorCode, String detail) {
        this(errorCode, detail, null);
    }

    public HandlerException(ErrorCode errorCode, String detail, Throwable cause) {
        super(Objects.requireNonNull(detail, "detail"), cause);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    /** The specific detail, without the catalogue's generic message. */
    public String detail() {
        return getMessage();
    }
}

package io.vmsnapshot.prepost;

import io.vmsnapshot.error.ErrorCode;
import java.util.Objects;

/** One problem found, with the catalogue error it causes and the specific detail (file, field, what is wrong). */
public record Finding(ErrorCode error, String detail) {
    public Finding {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(detail, "detail");
    }
}

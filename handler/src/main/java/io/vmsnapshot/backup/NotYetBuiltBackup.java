package io.vmsnapshot.backup;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.status.FormattedMessage;
import io.vmsnapshot.status.StatusReport;
import io.vmsnapshot.status.StatusType;
import java.time.Clock;
import java.util.List;

/** Until freeze and snapshot land: an honest error, never a fake success. */
public final class NotYetBuiltBackup implements BackupJob {
    private final String handlerName;
    private final Clock clock;

    public NotYetBuiltBackup(String handlerName, Clock clock) {
        this.handlerName = handlerName;
        this.clock = clock;
    }

    @Override
    public BackupOutcome run(BackupRequest request, Cancellation cancellation) {
        String message = request.messages().describe(ErrorCode.NOT_IMPLEMENTED,
                "The backup itself (pre-scripts, freeze, snapshot, thaw, post-scripts) is not built yet: no snapshot was taken.");
        StatusReport report = new StatusReport(handlerName, "Enable", StatusType.ERROR, ErrorCode.NOT_IMPLEMENTED.code(),
                new FormattedMessage(request.messages().languageTag(), message), List.of(), clock.instant());
        return new BackupOutcome(StatusType.ERROR, ErrorCode.NOT_IMPLEMENTED, message, report);
    }
}

package io.vmsnapshot.report;

import io.vmsnapshot.agent.Operation;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.status.FormattedMessage;
import io.vmsnapshot.status.Heartbeat;
import io.vmsnapshot.status.HeartbeatWriter;
import io.vmsnapshot.status.StatusFileWriter;
import io.vmsnapshot.status.StatusReport;
import io.vmsnapshot.status.StatusType;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes the lifecycle's status and heartbeat files with the catalogue's localized texts. */
public final class StatusReporter {
    private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

    private final StatusFileWriter statusWriter;
    private final HeartbeatWriter heartbeatWriter;
    private final String handlerName;
    private final Clock clock;

    public StatusReporter(StatusFileWriter statusWriter, HeartbeatWriter heartbeatWriter, String handlerName,
                          Clock clock) {
        this.statusWriter = Objects.requireNonNull(statusWriter, "statusWriter");
        this.heartbeatWriter = heartbeatWriter;
        this.handlerName = Objects.requireNonNull(handlerName, "handlerName");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void report(int sequenceNumber, Operation operation, StatusType type, ErrorCode code,
                       Messages messages, String detail) throws IOException {
        String message = type == StatusType.ERROR || type == StatusType.WARNING
                ? messages.describe(code, detail)
                : join(messages.message(code), detail);
        write(sequenceNumber, new StatusReport(handlerName, operation.statusName(), type, code.code(),
                new FormattedMessage(messages.languageTag(), message), List.of(), clock.instant()));
    }

    /** The status of an earlier task, re-reported for a repeated taskId. */
    public StatusReport reportOf(Operation operation, TaskRecord task, String lang) {
        return new StatusReport(handlerName, operation.statusName(), task.status(), task.code(),
                new FormattedMessage(lang, task.message()), List.of(), clock.instant());
    }

    /** The report last written for this sequence number, if it is one of ours. */
    public Optional<StatusReport> read(int sequenceNumber) {
        return statusWriter.read(sequenceNumber);
    }

    public void write(int sequenceNumber, StatusReport report) throws IOException {
        statusWriter.write(sequenceNumber, report);
    }

    /** The heartbeat is best effort: it is only read when reportHeartbeat is on, which we keep off. */
    public void heartbeat(boolean ready, String lang, String message) {
        if (heartbeatWriter == null) {
            return;
        }
        try {
            heartbeatWriter.write(new Heartbeat(ready ? "Ready" : "NotReady", 0, new FormattedMessage(lang, message)));
        } catch (IOException e) {
            LOG.warn("heartbeat-write-failed error={}", e.toString());
        }
    }

    private static String join(String message, String detail) {
        return detail == null || detail.isBlank() ? message : message + " " + detail.strip();
    }
}

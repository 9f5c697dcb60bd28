package io.vmsnapshot.lifecycle;

import io.vmsnapshot.report.TaskRecord;
import io.vmsnapshot.report.TaskRegistry;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.Messages;
import java.io.PrintStream;
import java.text.MessageFormat;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@code handle.sh status}: the last backup's outcome in words a VM admin understands, in the request's language. */
public final class StatusCommand implements Command {
    private final TaskRegistry tasks;
    private final PrintStream out;

    public StatusCommand(TaskRegistry tasks, PrintStream out) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.out = Objects.requireNonNull(out, "out");
    }

    @Override
    public int run(List<String> arguments) {
        List<TaskRecord> records = tasks.readAll();
        if (records.isEmpty()) {
            out.println(Messages.forLocale(null).text("status.none"));
            return ExitCodes.SUCCESS;
        }
        TaskRecord last = records.get(records.size() - 1);
        Messages messages = Messages.forLocale(last.locale());
        String outcome = ErrorCode.ofCode(last.code()).map(ErrorCode::displayName).orElse(Integer.toString(last.code()));
        String state = messages.text("status.state." + last.status().name().toLowerCase(java.util.Locale.ROOT));
        out.println(MessageFormat.format(messages.text("status.last"), last.taskId(),
                Integer.toString(last.sequenceNumber()), Instant.ofEpochMilli(last.updatedEpochMillis()).toString(),
                state, outcome, last.message()));
        Optional<ErrorCode> code = ErrorCode.ofCode(last.code());
        code.filter(c -> !c.isSuccess() && c != ErrorCode.TRANSITIONING)
                .ifPresent(c -> out.println(messages.text("status.whatToDo") + " " + messages.action(c)));
        return ExitCodes.SUCCESS;
    }
}

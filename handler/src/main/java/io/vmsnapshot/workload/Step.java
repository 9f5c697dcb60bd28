package io.vmsnapshot.workload;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.prepost.Finding;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One step of a quiesce or a release, e.g. "FLUSH TABLES WITH READ LOCK" or "END BACKUP (SID ORCL)". */
record Step(String name, boolean timedOut, Duration duration, List<String> lines, Optional<Finding> error) {
    Step {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(duration, "duration");
        lines = List.copyOf(lines);
        Objects.requireNonNull(error, "error");
    }

    static Step ok(String name, Duration duration, List<String> lines) {
        return new Step(name, false, duration, lines, Optional.empty());
    }

    static Step failed(String name, ClientRunner.Outcome outcome, ErrorCode code, String detail) {
        return new Step(name, outcome.timedOut(), outcome.duration(), outcome.lines(),
                Optional.of(new Finding(code, detail)));
    }

    static Step failed(String name, Duration duration, List<String> lines, ErrorCode code, String detail) {
        return new Step(name, false, duration, lines, Optional.of(new Finding(code, detail)));
    }
}

package io.vmsnapshot.workload;

import io.vmsnapshot.prepost.Finding;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code workload.conf} asks for. {@code ABSENT}: no file, no {@code [workload]} section or an
 * empty {@code workload_name} (upstream's template as install leaves it): the script plugin host
 * decides alone. {@code CONFIGURED}: {@code conf} is set. {@code INVALID}: a database is asked for
 * but cannot be quiesced, {@code problem} says why; the backup is then file-system consistent.
 */
public record WorkloadSetup(Optional<WorkloadConf> conf, Optional<Finding> problem, String name,
        List<String> warnings) {
    public enum State { ABSENT, CONFIGURED, INVALID }

    public WorkloadSetup {
        Objects.requireNonNull(conf, "conf");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(name, "name");
        if (conf.isPresent() && problem.isPresent()) {
            throw new IllegalArgumentException("a workload set-up is either configured or invalid, not both");
        }
        warnings = List.copyOf(warnings);
    }

    /** What the conf and the problem say: one of them, or neither. */
    public State state() {
        return conf.isPresent() ? State.CONFIGURED : problem.isPresent() ? State.INVALID : State.ABSENT;
    }

    static WorkloadSetup absent(List<String> warnings) {
        return new WorkloadSetup(Optional.empty(), Optional.empty(), "", warnings);
    }

    static WorkloadSetup configured(WorkloadConf conf, List<String> warnings) {
        return new WorkloadSetup(Optional.of(conf), Optional.empty(), conf.database().configName(), warnings);
    }

    static WorkloadSetup invalid(String name, Finding problem, List<String> warnings) {
        return new WorkloadSetup(Optional.empty(), Optional.of(problem), name, warnings);
    }
}

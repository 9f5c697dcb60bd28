package io.vmsnapshot.lifecycle;

import io.vmsnapshot.backup.MountSource;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.estate.EstateReport;
import io.vmsnapshot.freeze.Mount;
import io.vmsnapshot.freeze.SkippedMount;
import io.vmsnapshot.freeze.VmBackupConf;
import io.vmsnapshot.freeze.VmBackupSettings;
import io.vmsnapshot.prepost.CheckReport;
import io.vmsnapshot.prepost.CheckVerdict;
import io.vmsnapshot.prepost.DryRun;
import io.vmsnapshot.prepost.PluginHost;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The customer's own commands: {@code check} (would the next backup be application consistent,
 * and if not, why and what to do) and {@code dry-run} (run the pre and post phases now, exactly as
 * a backup would, without freezing or snapshotting).
 */
public final class OperatorCommands {
    private final Supplier<PluginHost> pluginHosts;
    private final MountSource mounts;
    private final MountSurvey survey;
    private final Supplier<EstateReport> estate;
    private final VmBackupConf vmBackupConf;
    private final Messages messages;
    private final PrintStream out;
    private final Clock clock;
    private final Supplier<List<String>> networkFacts;

    /**
     * @param survey       the mounts not frozen, and why
     * @param estate       the machine's facts and policy engines, printed first
     * @param out          the operator's terminal
     * @param networkFacts what check says about the proxy and the CA store, localized
     */
    public OperatorCommands(Supplier<PluginHost> pluginHosts, MountSource mounts, MountSurvey survey,
                            Supplier<EstateReport> estate, VmBackupConf vmBackupConf, Messages messages,
                            PrintStream out, Clock clock, Supplier<List<String>> networkFacts) {
        this.networkFacts = Objects.requireNonNull(networkFacts, "networkFacts");
        this.pluginHosts = Objects.requireNonNull(pluginHosts, "pluginHosts");
        this.mounts = Objects.requireNonNull(mounts, "mounts");
        this.survey = Objects.requireNonNull(survey, "survey");
        this.estate = Objects.requireNonNull(estate, "estate");
        this.vmBackupConf = Objects.requireNonNull(vmBackupConf, "vmBackupConf");
        this.messages = Objects.requireNonNull(messages, "messages");
        this.out = Objects.requireNonNull(out, "out");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Command check() {
        return arguments -> {
            boolean denied = estate.get().render(out);
            CheckVerdict verdict = new CheckReport(messages).render(pluginHosts.get().precheck(), out);
            verdict = verdict.worse(listFreezeTargets(out));
            // Facts, not findings: the network decides nothing about consistency.
            networkFacts.get().forEach(out::println);
            return ExitCodes.of(denied ? verdict.worse(CheckVerdict.PROBLEMS) : verdict);
        };
    }

    public Command dryRun() {
        return arguments -> ExitCodes.of(new DryRun(pluginHosts.get(), messages).run("dry-run-" + clock.millis(), out));
    }

    private CheckVerdict listFreezeTargets(PrintStream out) {
        VmBackupSettings conf = vmBackupConf.parse();
        conf.warnings().forEach(warning -> out.println("WARN  " + warning));
        conf.notes().forEach(note -> out.println("NOTE  " + note));
        try {
            Set<Path> mountsToSkip = conf.mountsToSkip();
            List<Mount> targets = mounts.eligible(mountsToSkip);
            out.println(messages.text("check.freeze") + (targets.isEmpty() ? " " + messages.text("check.freeze.none")
                    : ""));
            targets.forEach(m -> out.println("  " + m.mountPoint() + " (" + m.fsType() + ", " + m.device() + ")"));
            List<SkippedMount> skipped = survey.skipped(mountsToSkip);
            if (!skipped.isEmpty()) {
                out.println(messages.text("check.skipped"));
            }
            skipped.forEach(s -> out.println("  " + s.mount().mountPoint() + " (" + s.mount().fsType() + ", "
                    + s.mount().device() + "): " + messages.format("check.skipped." + s.reason().name(),
                    s.detail())));
            return CheckVerdict.APP_CONSISTENT;
        } catch (HandlerException e) {
            out.println(messages.describe(e.errorCode(), e.detail()));
            return CheckVerdict.PROBLEMS;
        }
    }
}

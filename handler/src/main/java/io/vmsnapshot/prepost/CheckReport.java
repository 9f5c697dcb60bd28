package io.vmsnapshot.prepost;

import io.vmsnapshot.error.Messages;
import java.io.PrintStream;
import java.util.Objects;

/**
 * {@code handle.sh check} for the pre/post part: every finding with the seed error it would cause
 * and the recommended action, every warning, and a verdict. Exit codes: {@link #APP_CONSISTENT}
 * only when a backup would run the scripts; {@link #NOT_CONFIGURED} when no pre/post is set up
 * (backups are file-system consistent); {@link #PROBLEMS} when something must be fixed.
 */
public final class CheckReport {
    private final Messages messages;

    public CheckReport(Messages messages) {
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    public CheckVerdict render(Precheck precheck, PrintStream out) {
        for (Finding finding : precheck.findings()) {
            out.println("ERROR " + finding.error().displayName() + " (" + finding.error().code() + "): "
                    + finding.detail());
            out.println("      " + messages.message(finding.error()));
            out.println("      action: " + messages.action(finding.error()));
        }
        precheck.warnings().forEach(warning -> out.println("WARN  " + warning));
        CheckVerdict exit = verdict(precheck);
        switch (exit) {
            case APP_CONSISTENT -> out.println("OK    pre/post scripts will run; fsFreezeEnabled="
                    + precheck.fsFreezeEnabled() + ", continueBackupOnFailure=" + precheck.continueBackupOnFailure());
            case NOT_CONFIGURED -> out.println("INFO  no pre/post script is configured: backups are file-system"
                    + " consistent (or crash consistent without freeze), not application consistent");
            default -> out.println("FAIL  no script will run, backups are not application consistent; first error: "
                    + precheck.firstError().map(f -> f.error().displayName() + " (" + f.error().code() + ")")
                            .orElse("none"));
        }
        out.flush();
        return exit;
    }

    static CheckVerdict verdict(Precheck precheck) {
        if (!precheck.findings().isEmpty()) {
            return CheckVerdict.PROBLEMS;
        }
        return precheck.scriptsConfigured() ? CheckVerdict.APP_CONSISTENT : CheckVerdict.NOT_CONFIGURED;
    }
}

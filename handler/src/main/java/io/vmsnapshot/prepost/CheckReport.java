package io.vmsnapshot.prepost;

import io.vmsnapshot.error.Messages;
import java.io.PrintStream;
import java.util.Objects;

/**
 * {@code handle.sh check} for the pre/post part: every finding with the seed error it would cause
 * and the recommended action, every warning, and a verdict: {@link CheckVerdict#APP_CONSISTENT}
 * only when a backup would run the scripts and a pre-script quiesces the application;
 * {@link CheckVerdict#NOT_CONFIGURED} when no pre/post is set up, or only post-scripts (backups are
 * file-system consistent); {@link CheckVerdict#PROBLEMS} when something must be fixed.
 */
public final class CheckReport {
    static final String NOTHING_CONFIGURED = "INFO  no pre/post script is configured: backups are file-system"
            + " consistent (or crash consistent without freeze), not application consistent";
    static final String POST_ONLY = "INFO  no pre-script is configured: the post-scripts run, but nothing quiesces"
            + " the application, so backups are file-system consistent (or crash consistent without freeze),"
            + " not application consistent";

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
        precheck.notes().forEach(note -> out.println("NOTE  " + note));
        CheckVerdict exit = verdict(precheck);
        switch (exit) {
            case APP_CONSISTENT -> out.println("OK    pre/post scripts will run; fsFreezeEnabled="
                    + precheck.fsFreezeEnabled() + ", continueBackupOnFailure=" + precheck.continueBackupOnFailure());
            case NOT_CONFIGURED -> out.println(precheck.scriptsConfigured() ? POST_ONLY : NOTHING_CONFIGURED);
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
        return precheck.scriptsConfigured() && precheck.preScriptConfigured()
                ? CheckVerdict.APP_CONSISTENT : CheckVerdict.NOT_CONFIGURED;
    }
}

package io.vmsnapshot.prepost;

import java.util.List;
import java.util.Optional;

/**
 * What the plugin host found before running anything. Findings are listed from the outside in —
 * package integrity, host config, then each plugin in index order (its config, its pre-script,
 * its post-script) — and the first one is the error the status reports. Any finding means no
 * script runs: a backup is only application consistent when every plugin can quiesce.
 *
 * @param scriptsConfigured       some plugin configures a pre- or post-script; false with no
 *                                findings means "no pre/post configured" (file-system consistent, not an error)
 * @param preScriptConfigured     some plugin configures a pre-script: without one nothing quiesces the
 *                                application, so post-scripts alone never make a backup application consistent
 * @param fsFreezeEnabled         false if any plugin config asks for no freeze
 * @param continueBackupOnFailure false if any readable plugin config says so
 * @param warnings                things worth telling the operator that do not stop the scripts; every
 *                                backup's status carries them, so that someone fixes them
 * @param notes                   how a valid setup is carried out where that is not obvious (a script
 *                                run from a copy): {@code check}, {@code dry-run} and the log say it, the
 *                                status does not, since nothing is wrong
 */
public record Precheck(List<Finding> findings, boolean scriptsConfigured, boolean preScriptConfigured,
        boolean fsFreezeEnabled,
        boolean continueBackupOnFailure, List<String> warnings, List<String> notes) {

    public Precheck {
        findings = List.copyOf(findings);
        warnings = List.copyOf(warnings);
        notes = List.copyOf(notes);
    }

    public Precheck(List<Finding> findings, boolean scriptsConfigured, boolean preScriptConfigured,
                    boolean fsFreezeEnabled, boolean continueBackupOnFailure, List<String> warnings) {
        this(findings, scriptsConfigured, preScriptConfigured, fsFreezeEnabled, continueBackupOnFailure, warnings,
                List.of());
    }

    public Optional<Finding> firstError() {
        return findings.stream().findFirst();
    }

    /** Scripts will run: something is configured and nothing is wrong with it. */
    public boolean runsScripts() {
        return scriptsConfigured && findings.isEmpty();
    }
}

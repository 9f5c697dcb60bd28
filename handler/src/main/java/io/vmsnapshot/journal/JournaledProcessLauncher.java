package io.vmsnapshot.journal;

import io.vmsnapshot.process.GroupProcessLauncher;
import io.vmsnapshot.process.ProcessLauncher;
import io.vmsnapshot.process.ProcessSpec;
import io.vmsnapshot.process.ProcessTrace;
import io.vmsnapshot.process.RunningScript;
import io.vmsnapshot.process.ScriptReaper;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Journals every script the plugin host starts, so that the next start can kill what a dead
 * worker's scripts left running. The marker goes into the journal before the start (a worker
 * killed right after the fork still leaves it), the pid and start time right after.
 */
public final class JournaledProcessLauncher implements ProcessLauncher {
    private final ProcessLauncher launcher;
    private final ScriptReaper reaper;
    private final BackupJournal journal;

    public JournaledProcessLauncher(ProcessLauncher launcher, ScriptReaper reaper, BackupJournal journal) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
        this.reaper = Objects.requireNonNull(reaper, "reaper");
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    @Override
    public RunningScript start(ProcessSpec spec) throws IOException {
        String marker = GroupProcessLauncher.newMarker();
        journal.recordScript(ProcessTrace.beforeStart(marker));
        Map<String, String> env = new HashMap<>(spec.env());
        env.put(GroupProcessLauncher.MARKER_VARIABLE, marker);
        RunningScript running = launcher.start(new ProcessSpec(spec.argv(), spec.workDir(), env, spec.timeout(),
                spec.killGrace(), spec.output()));
        ProcessTrace trace = reaper.trace(marker, running.pid());
        if (trace.started()) {
            journal.recordScript(trace);
        }
        return running;
    }
}

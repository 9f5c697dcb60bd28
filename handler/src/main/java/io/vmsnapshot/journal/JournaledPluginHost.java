package io.vmsnapshot.journal;

import io.vmsnapshot.prepost.PhaseResult;
import io.vmsnapshot.prepost.PluginHost;
import io.vmsnapshot.prepost.Precheck;
import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import java.util.Objects;

/** Journals each script phase: its start before the first script runs, its end once all ended. */
public final class JournaledPluginHost implements PluginHost {
    private final PluginHost host;
    private final BackupJournal journal;

    public JournaledPluginHost(PluginHost host, BackupJournal journal) {
        this.host = Objects.requireNonNull(host, "host");
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    @Override
    public Precheck precheck() {
        return host.precheck();
    }

    @Override
    public PhaseResult run(ScriptPhase phase, ScriptContext context) {
        boolean pre = phase == ScriptPhase.PRE;
        journal.record(pre ? JournalRecord.PRE_STARTED : JournalRecord.POST_STARTED);
        PhaseResult result = host.run(phase, context);
        journal.record(pre ? JournalRecord.PRE_FINISHED : JournalRecord.POST_FINISHED);
        return result;
    }
}

package io.vmsnapshot.journal;

import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.freeze.FreezeSession;
import io.vmsnapshot.freeze.Freezer;
import io.vmsnapshot.freeze.Mount;
import io.vmsnapshot.freeze.ThawResult;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Journals the freeze-snapshot window: its start just before the freeze (nothing frozen yet), its
 * end right after a thaw that left nothing frozen. A write in between would block on a frozen root.
 */
public final class JournaledFreezer implements Freezer {
    private final Freezer freezer;
    private final BackupJournal journal;

    public JournaledFreezer(Freezer freezer, BackupJournal journal) {
        this.freezer = Objects.requireNonNull(freezer, "freezer");
        this.journal = Objects.requireNonNull(journal, "journal");
    }

    @Override
    public FreezeSession freeze(List<Mount> mounts, Duration timeout) throws HandlerException {
        journal.record(JournalRecord.SNAPSHOT_STARTED);
        return journaled(freezer.freeze(mounts, timeout));
    }

    @Override
    public FreezeSession freeze(List<Mount> mounts, Duration timeout, Duration freezeWait) throws HandlerException {
        journal.record(JournalRecord.SNAPSHOT_STARTED);
        return journaled(freezer.freeze(mounts, timeout, freezeWait));
    }

    private FreezeSession journaled(FreezeSession session) {
        return new FreezeSession() {
            @Override
            public ThawResult thaw() {
                ThawResult result = session.thaw();
                if (result.allThawed()) {
                    journal.record(JournalRecord.SNAPSHOT_FINISHED);
                }
                return result;
            }
        };
    }
}

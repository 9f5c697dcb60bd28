package io.vmsnapshot.workload;

import java.util.List;

/**
 * One database's quiesce and release. {@link #quiesce()} first ends whatever quiesce a dead backup
 * left, then quiesces so that the database side ends by itself after the workload timeout.
 * {@link #release()} works without {@link #quiesce()} having run in this process (the journal's
 * recovery runs it in a fresh worker): it ends every quiesce of ours it finds.
 */
interface Quiescer {
    List<Step> quiesce();

    List<Step> release();
}

package io.vmsnapshot.snapshot;

import java.time.Instant;
import java.util.Optional;

/** A snapshot ready to be taken: the calls before the freeze are done, the snapshot calls remain. */
public interface PreparedSnapshot {
    /**
     * The host's clock from PreSnapshot's {@code responseTime}, when the host was asked and said:
     * upstream's "now" for the arrived-too-late rule, which does not trust the VM's clock.
     */
    Optional<Instant> hostTime();

    /**
     * The snapshot calls only (DoSnapshot, or one {@code PUT comp=snapshot} per disk), with the
     * fallback to the other creator that the mode allows. Called once, inside the freeze window.
     *
     * @param deadline the end of the freeze budget: no call starts, no retry waits past it
     */
    SnapshotOutcome take(Instant deadline);
}

package io.vmsnapshot.e2e.database;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One transaction the load generator saw committed.
 *
 * @param client    the load generator's connection
 * @param ordinal   0 for the client's first commit, then 1, 2, ...: the ledger row it wrote has this seq
 * @param scheduled when the transaction was due to start (the load is paced): latency counts from here,
 *                  so a stalled database shows in every transaction that had to wait, not only the one in flight
 * @param committed when the commit's answer arrived
 */
record Commit(int client, long ordinal, Instant scheduled, Instant committed) {
    Commit {
        Objects.requireNonNull(scheduled, "scheduled");
        Objects.requireNonNull(committed, "committed");
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal " + ordinal);
        }
    }

    Duration latency() {
        return Duration.between(scheduled, committed);
    }
}

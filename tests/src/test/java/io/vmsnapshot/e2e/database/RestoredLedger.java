package io.vmsnapshot.e2e.database;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The ledger as found in a restored database, per client: how many rows, lowest and highest seq.
 * Each client wrote seq 0, 1, 2, ... one transaction after the other, so a consistent restore holds
 * a gap-free prefix per client, and holds every row whose commit the load saw before a cut-off.
 */
final class RestoredLedger {
    /** The SQL whose output {@link #parse} reads; columns separated by '|' or a tab. */
    static final String QUERY = "SELECT client, count(*), min(seq), max(seq) FROM %s GROUP BY client ORDER BY client";

    private record Row(long count, long min, long max) {
    }

    private final Map<Integer, Row> rows;

    private RestoredLedger(Map<Integer, Row> rows) {
        this.rows = rows;
    }

    static RestoredLedger parse(String output) {
        Map<Integer, Row> rows = new TreeMap<>();
        for (String line : output.strip().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.strip().split("[|\t]");
            rows.put(Integer.parseInt(f[0]), new Row(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
        }
        return new RestoredLedger(rows);
    }

    long rows() {
        return rows.values().stream().mapToLong(Row::count).sum();
    }

    /** Clients whose rows are not exactly seq 0..n-1, described; empty when every client's rows are a prefix. */
    List<String> gaps() {
        List<String> gaps = new ArrayList<>();
        rows.forEach((client, row) -> {
            if (row.min() != 0 || row.max() != row.count() - 1) {
                gaps.add("client " + client + ": " + row.count() + " rows, seq " + row.min() + ".." + row.max());
            }
        });
        return gaps;
    }

    /** Commits the load saw before {@code cut} whose row is not in the restored ledger, described. */
    List<String> missingCommittedBefore(List<Commit> commits, Instant cut) {
        Map<Integer, Long> needed = commits.stream().filter(c -> c.committed().isBefore(cut))
                .collect(Collectors.toMap(Commit::client, c -> c.ordinal() + 1, Math::max, TreeMap::new));
        List<String> missing = new ArrayList<>();
        needed.forEach((client, count) -> {
            Row row = rows.get(client);
            long held = row == null ? 0 : row.max() + 1;
            if (held < count) {
                missing.add("client " + client + ": committed seq 0.." + (count - 1) + " before " + cut
                        + ", restored only up to " + (held - 1));
            }
        });
        return missing;
    }

    /** Rows of transactions that were not even due before {@code instant}, described: none may be in a snapshot taken before it. */
    List<String> presentScheduledAfter(List<Commit> commits, Instant instant) {
        List<String> present = new ArrayList<>();
        for (Commit commit : commits) {
            Row row = rows.get(commit.client());
            if (commit.scheduled().isAfter(instant) && row != null && commit.ordinal() <= row.max()) {
                present.add("client " + commit.client() + " seq " + commit.ordinal() + " (due " + commit.scheduled() + ")");
            }
        }
        return present;
    }

    /** How many of the load's commits before {@code cut} there were (for the report). */
    static long countBefore(List<Commit> commits, Instant cut) {
        return commits.stream().filter(c -> c.committed().isBefore(cut)).count();
    }
}

package io.vmsnapshot.e2e.prepost;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The per-script table {@code dry-run} prints: one row per script and phase. */
record DryRunTable(List<Row> rows) {
    private static final String HEADER = "plugin";
    private static final Pattern ROW = Pattern.compile(
            "^(\\S+)\\s+(pre|post)\\s+(\\d+)\\s+(\\S+)\\s+(\\d+)\\s+(\\S+)\\s*$");

    /** @param exit the last attempt's exit code, {@code sigN} for a signal, {@code -} for none */
    record Row(String plugin, String phase, int attempts, String exit, long durationMillis, String outcome) {
    }

    static DryRunTable parse(String stdout) {
        List<Row> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : stdout.split("\n")) {
            if (line.startsWith(HEADER + " ")) {
                inTable = true;
                continue;
            }
            Matcher m = ROW.matcher(line);
            if (inTable && m.matches()) {
                rows.add(new Row(m.group(1), m.group(2), Integer.parseInt(m.group(3)), m.group(4),
                        Long.parseLong(m.group(5)), m.group(6)));
            } else if (inTable) {
                break;
            }
        }
        return new DryRunTable(rows);
    }

    Optional<Row> phase(String phase) {
        return rows.stream().filter(r -> r.phase().equals(phase)).findFirst();
    }
}

package io.vmsnapshot.workload;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One section of an INI file read as Python's ConfigParser reads upstream's {@code workload.conf}:
 * {@code key = value} or {@code key: value}, names case-insensitive, whole-line comments with
 * {@code #} or {@code ;}, values trimmed, the last of duplicate keys wins.
 */
final class IniSection {
    private final Map<String, String> values;
    private final boolean present;

    private IniSection(Map<String, String> values, boolean present) {
        this.values = values;
        this.present = present;
    }

    static IniSection read(String text, String section) {
        Map<String, String> values = new LinkedHashMap<>();
        boolean inside = false;
        boolean present = false;
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                inside = line.substring(1, line.length() - 1).strip().equals(section);
                present |= inside;
                continue;
            }
            int separator = firstSeparator(line);
            if (inside && separator > 0) {
                values.put(line.substring(0, separator).strip().toLowerCase(Locale.ROOT),
                        line.substring(separator + 1).strip());
            }
        }
        return new IniSection(values, present);
    }

    private static int firstSeparator(String line) {
        int equals = line.indexOf('=');
        int colon = line.indexOf(':');
        if (equals < 0) {
            return colon;
        }
        return colon < 0 ? equals : Math.min(equals, colon);
    }

    boolean present() {
        return present;
    }

    /** The value, empty when the key is missing or blank. */
    Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key.toLowerCase(Locale.ROOT))).filter(v -> !v.isEmpty());
    }

    List<String> keys() {
        return List.copyOf(values.keySet());
    }
}

package io.vmsnapshot.pluginhost;

import io.vmsnapshot.error.ErrorCode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the INI host config the way upstream's ConfigParser reads it: section {@code [pre_post]},
 * {@code key: value} or {@code key = value}, keys case-insensitive, {@code #}/{@code ;} comments.
 * Every problem becomes an {@code IncorrectJSONConfigFile} (304) finding naming the file and key;
 * a bad plugin entry is reported and skipped, the entries after it are still read.
 */
final class HostConfigParser {
    static final int MAX_TIMEOUT_SECONDS = 1800;
    static final int MAX_PLUGINS = 32;
    static final String SCRIPT_RUNNER = "ScriptRunner";
    private static final String SECTION = "pre_post";

    HostConfig parse(String text, String source, boolean packagedDefault, Findings findings) {
        Map<String, String> keys = section(text, source, findings);
        int timeout = integer(keys, "timeoutInSeconds", MAX_TIMEOUT_SECONDS, 1, source, findings);
        if (timeout > MAX_TIMEOUT_SECONDS) {
            findings.warn(source + ": timeoutInSeconds " + timeout + " is capped at " + MAX_TIMEOUT_SECONDS);
            timeout = MAX_TIMEOUT_SECONDS;
        }
        int count = integer(keys, "numberOfPlugins", 0, 0, source, findings);
        if (count > MAX_PLUGINS) {
            invalid(findings, source, "numberOfPlugins", count + " is more than " + MAX_PLUGINS);
            count = MAX_PLUGINS;
        }
        List<HostConfig.Plugin> plugins = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            plugin(keys, index, source, findings, plugins);
        }
        return new HostConfig(source, packagedDefault, timeout, plugins);
    }

    private static void plugin(Map<String, String> keys, int index, String source, Findings findings,
            List<HostConfig.Plugin> plugins) {
        int before = findings.errorCount();
        String name = keys.get("pluginname" + index);
        String configPath = keys.get("pluginconfigpath" + index);
        if (name == null) {
            invalid(findings, source, "pluginName" + index, "is missing");
        } else if (!name.equals(SCRIPT_RUNNER)) {
            invalid(findings, source, "pluginName" + index, "is '" + name + "', the only plugin is " + SCRIPT_RUNNER);
        }
        if (configPath == null || configPath.isEmpty()) {
            invalid(findings, source, "pluginConfigPath" + index, "is missing");
        } else if (!validPath(configPath)) {
            // A NUL byte made Path.of throw and took the whole precheck down: found by fuzzing.
            invalid(findings, source, "pluginConfigPath" + index, "is not a valid path");
        } else if (!Path.of(configPath).isAbsolute()) {
            invalid(findings, source, "pluginConfigPath" + index, "'" + configPath + "' is not an absolute path");
        }
        if (findings.errorCount() == before) {
            plugins.add(new HostConfig.Plugin(index, name, Path.of(configPath).normalize()));
        }
    }

    private static boolean validPath(String text) {
        try {
            Path.of(text);
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static Map<String, String> section(String text, String source, Findings findings) {
        Map<String, String> keys = new LinkedHashMap<>();
        String current = null;
        boolean found = false;
        String[] lines = text.split("\r?\n", -1);
        for (int number = 1; number <= lines.length; number++) {
            String line = lines[number - 1].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = line.substring(1, line.length() - 1).strip();
                found |= current.equals(SECTION);
                continue;
            }
            int separator = separator(line);
            if (separator <= 0) {
                invalid(findings, source, "line " + number, "'" + line + "' is not 'key: value' or 'key = value'");
            } else if (SECTION.equals(current)) {
                keys.put(line.substring(0, separator).strip().toLowerCase(Locale.ROOT),
                        line.substring(separator + 1).strip());
            }
        }
        if (!found) {
            invalid(findings, source, "[" + SECTION + "]", "section is missing");
        }
        return keys;
    }

    private static int separator(String line) {
        int colon = line.indexOf(':');
        int equals = line.indexOf('=');
        return colon < 0 ? equals : equals < 0 ? colon : Math.min(colon, equals);
    }

    private static int integer(Map<String, String> keys, String key, int fallback, int minimum, String source,
            Findings findings) {
        String value = keys.get(key.toLowerCase(Locale.ROOT));
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= minimum) {
                return parsed;
            }
            invalid(findings, source, key, value + " is below " + minimum);
        } catch (NumberFormatException e) {
            invalid(findings, source, key, "'" + value + "' is not a whole number");
        }
        return fallback;
    }

    private static void invalid(Findings findings, String source, String key, String problem) {
        findings.error(ErrorCode.PLUGINHOST_CONFIG_INVALID, source + ": " + key + " " + problem);
    }
}

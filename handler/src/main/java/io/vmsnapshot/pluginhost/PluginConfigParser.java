package io.vmsnapshot.pluginhost;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.json.JsonDocument;
import io.vmsnapshot.json.JsonText;
import io.vmsnapshot.json.MalformedJsonException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Validates {@code VMSnapshotPluginConfig.json} field by field, taking values the way upstream did
 * ({@link ConfigValues}). Every problem left is collected into one {@code IncorrectJSONConfigFile}
 * (305) finding that names the file, each field and what is wrong with it, so the operator fixes the
 * file once instead of starting over from a fresh copy. The flags that were readable count even
 * then: a customer who wrote {@code fsFreezeEnabled: false} never gets a freeze because another
 * field was wrong.
 */
final class PluginConfigParser {
    /** Upstream's default when the file has no timeout. */
    static final int DEFAULT_TIMEOUT_SECONDS = 10;
    private static final Set<String> KNOWN = Set.of("pluginName", "preScriptLocation", "postScriptLocation",
            "preScriptParams", "postScriptParams", "preScriptNoOfRetries", "postScriptNoOfRetries",
            "timeoutInSeconds", "continueBackupOnFailure", "fsFreezeEnabled");
    /** Read by upstream, meaningless here: worth a softer warning than a typo. */
    private static final Set<String> UPSTREAM_ONLY = Set.of("ScriptsExecutionPollTimeSeconds", "appName");

    /**
     * What one plugin config said.
     *
     * @param config                  the config, when every field was usable
     * @param fsFreezeEnabled         the file's fsFreezeEnabled when it was readable, else true
     * @param continueBackupOnFailure the file's continueBackupOnFailure when it was readable, else true
     */
    record Parsed(Optional<PluginConfig> config, boolean fsFreezeEnabled, boolean continueBackupOnFailure) {
        /** Nothing the customer said: no file, or one that could not be read or parsed at all. */
        static Parsed none() {
            return new Parsed(Optional.empty(), true, true);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Parsed that && Objects.equals(config, that.config)
                    && fsFreezeEnabled == that.fsFreezeEnabled
                    && continueBackupOnFailure == that.continueBackupOnFailure;
        }

        @Override
        public int hashCode() {
            return Objects.hash(config, fsFreezeEnabled, continueBackupOnFailure);
        }

        @Override
        public String toString() {
            return "Parsed[config=" + config + ", fsFreezeEnabled=" + fsFreezeEnabled + ", continueBackupOnFailure="
                    + continueBackupOnFailure + "]";
        }
    }

    Parsed parse(byte[] json, String source, Findings findings) {
        // JsonText, not an ObjectMapper: its set-up alone cost check and dry-run with scripts some 20 ms.
        JsonDocument document;
        try {
            document = JsonText.parseDocument(json);
        } catch (MalformedJsonException e) {
            findings.error(ErrorCode.PLUGIN_CONFIG_INVALID, source + ": not valid JSON: " + e.problem()
                    + " at line " + e.line() + ", column " + e.column());
            return Parsed.none();
        }
        JsonNode root = document.root();
        if (root == null || !root.isObject()) {
            findings.error(ErrorCode.PLUGIN_CONFIG_INVALID, source + ": must be a JSON object { ... }");
            return Parsed.none();
        }
        List<String> problems = new ArrayList<>();
        ConfigValues values = new ConfigValues(source, findings, problems);
        for (String duplicate : document.repeatedKeys()) {
            findings.warn(source + ": field " + duplicate + " appears more than once; the last one counts");
        }
        warnUnknown(root, source, findings);
        JsonNode name = root.get("pluginName");
        if (name != null && !(name.isTextual() && name.asText().equals(HostConfigParser.SCRIPT_RUNNER))) {
            findings.warn(source + ": pluginName is " + JsonText.writeString(name) + "; this extension runs it as \""
                    + HostConfigParser.SCRIPT_RUNNER + "\" (the seed: leave it as is)");
        }
        Optional<PhaseScript> pre = script(root, "pre", values, problems);
        Optional<PhaseScript> post = script(root, "post", values, problems);
        int timeout = values.integer(root, "timeoutInSeconds").orElse(DEFAULT_TIMEOUT_SECONDS);
        if (timeout < 1) {
            problems.add("timeoutInSeconds: must be at least 1, is " + timeout);
            timeout = DEFAULT_TIMEOUT_SECONDS;
        }
        if (timeout > HostConfigParser.MAX_TIMEOUT_SECONDS) {
            findings.warn(source + ": timeoutInSeconds " + timeout + " is capped at " + HostConfigParser.MAX_TIMEOUT_SECONDS);
            timeout = HostConfigParser.MAX_TIMEOUT_SECONDS;
        }
        boolean continueOnFailure = values.bool(root, "continueBackupOnFailure");
        boolean freeze = values.bool(root, "fsFreezeEnabled");
        if (!problems.isEmpty()) {
            findings.error(ErrorCode.PLUGIN_CONFIG_INVALID, source + ": " + String.join("; ", problems));
            return new Parsed(Optional.empty(), freeze, continueOnFailure);
        }
        return new Parsed(Optional.of(new PluginConfig(source, pre, post, timeout, continueOnFailure, freeze)),
                freeze, continueOnFailure);
    }

    private static Optional<PhaseScript> script(JsonNode root, String phase, ConfigValues values,
                                                List<String> problems) {
        String field = phase + "ScriptLocation";
        JsonNode location = root.get(field);
        List<String> params = values.params(root, phase + "ScriptParams");
        int retries = values.retries(root, phase + "ScriptNoOfRetries");
        if (location == null) {
            problems.add(field + ": is missing (use \"\" to run no " + phase + "-script)");
            return Optional.empty();
        }
        if (!location.isTextual()) {
            problems.add(field + ": must be a string, is " + location.getNodeType().toString().toLowerCase());
            return Optional.empty();
        }
        String text = location.asText();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path path = Path.of(text);
            if (!path.isAbsolute()) {
                problems.add(field + ": \"" + text + "\" is not an absolute path");
                return Optional.empty();
            }
            return Optional.of(new PhaseScript(path.normalize(), params, retries));
        } catch (InvalidPathException e) {
            problems.add(field + ": \"" + text + "\" is not a valid path (" + e.getReason() + ")");
            return Optional.empty();
        }
    }

    private static void warnUnknown(JsonNode root, String source, Findings findings) {
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (UPSTREAM_ONLY.contains(name)) {
                findings.warn(source + ": field " + name + " is not used by this extension and is ignored");
            } else if (!KNOWN.contains(name)) {
                findings.warn(source + ": unknown field " + name + " is ignored (check its spelling)");
            }
        }
    }
}

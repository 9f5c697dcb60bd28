package io.vmsnapshot.pluginhost;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.error.ErrorCode;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Validates {@code VMSnapshotPluginConfig.json} field by field. Every problem is collected into one
 * {@code IncorrectJSONConfigFile} (305) finding that names the file, each field and what is wrong
 * with it, so the operator fixes the file once instead of starting over from a fresh copy.
 */
final class PluginConfigParser {
    /** Upstream's default when the file has no timeout. */
    static final int DEFAULT_TIMEOUT_SECONDS = 10;
    private static final Set<String> KNOWN = Set.of("pluginName", "preScriptLocation", "postScriptLocation",
            "preScriptParams", "postScriptParams", "preScriptNoOfRetries", "postScriptNoOfRetries",
            "timeoutInSeconds", "continueBackupOnFailure", "fsFreezeEnabled");
    /** Read by upstream, meaningless here: worth a softer warning than a typo. */
    private static final Set<String> UPSTREAM_ONLY = Set.of("ScriptsExecutionPollTimeSeconds", "appName");

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    Optional<PluginConfig> parse(byte[] json, String source, Findings findings) {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            // Some refusals (nesting too deep, a number too long) carry no location: found by fuzzing.
            findings.error(ErrorCode.PLUGIN_CONFIG_INVALID, source + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? ""
                            : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
            return Optional.empty();
        } catch (IOException e) {
            findings.error(ErrorCode.PLUGIN_CONFIG_INVALID, source + ": cannot be parsed: " + e.getMessage());
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            findings.error(ErrorCode.PLUGIN_CONFIG_INVALID, source + ": must be a JSON object { ... }");
            return Optional.empty();
        }
        List<String> problems = new ArrayList<>();
        warnUnknown(root, source, findings);
        JsonNode name = root.get("pluginName");
        if (name != null && !(name.isTextual() && name.asText().equals(HostConfigParser.SCRIPT_RUNNER))) {
            problems.add("pluginName: must be \"" + HostConfigParser.SCRIPT_RUNNER + "\", is " + name);
        }
        Optional<PhaseScript> pre = script(root, "pre", problems);
        Optional<PhaseScript> post = script(root, "post", problems);
        int timeout = integer(root, "timeoutInSeconds", DEFAULT_TIMEOUT_SECONDS, 1, problems);
        if (timeout > HostConfigParser.MAX_TIMEOUT_SECONDS) {
            findings.warn(source + ": timeoutInSeconds " + timeout + " is capped at " + HostConfigParser.MAX_TIMEOUT_SECONDS);
            timeout = HostConfigParser.MAX_TIMEOUT_SECONDS;
        }
        boolean continueOnFailure = bool(root, "continueBackupOnFailure", problems);
        boolean freeze = bool(root, "fsFreezeEnabled", problems);
        if (!problems.isEmpty()) {
            findings.error(ErrorCode.PLUGIN_CONFIG_INVALID, source + ": " + String.join("; ", problems));
            return Optional.empty();
        }
        return Optional.of(new PluginConfig(source, pre, post, timeout, continueOnFailure, freeze));
    }

    private static Optional<PhaseScript> script(JsonNode root, String phase, List<String> problems) {
        String field = phase + "ScriptLocation";
        JsonNode location = root.get(field);
        List<String> params = params(root, phase + "ScriptParams", problems);
        int retries = integer(root, phase + "ScriptNoOfRetries", 0, 0, problems);
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
            return Optional.of(new PhaseScript(path.normalize(), params, Math.max(retries, 0)));
        } catch (InvalidPathException e) {
            problems.add(field + ": \"" + text + "\" is not a valid path (" + e.getReason() + ")");
            return Optional.empty();
        }
    }

    private static List<String> params(JsonNode root, String field, List<String> problems) {
        JsonNode node = root.get(field);
        List<String> params = new ArrayList<>();
        if (node == null || node.isNull()) {
            return params;
        }
        if (!node.isArray()) {
            problems.add(field + ": must be an array of strings, e.g. [\"-v\", \"db1\"]");
            return params;
        }
        for (int i = 0; i < node.size(); i++) {
            if (node.get(i).isTextual()) {
                params.add(node.get(i).asText());
            } else {
                problems.add(field + "[" + i + "]: must be a string (quote it), is " + node.get(i));
            }
        }
        return params;
    }

    private static int integer(JsonNode root, String field, int fallback, int minimum, List<String> problems) {
        JsonNode node = root.get(field);
        if (node == null) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            problems.add(field + ": must be a whole number, is " + node);
            return fallback;
        }
        if (node.intValue() < minimum) {
            problems.add(field + ": must be at least " + minimum + ", is " + node.intValue());
            return fallback;
        }
        return node.intValue();
    }

    private static boolean bool(JsonNode root, String field, List<String> problems) {
        JsonNode node = root.get(field);
        if (node == null) {
            return true;
        }
        if (!node.isBoolean()) {
            problems.add(field + ": must be true or false (without quotes), is " + node);
            return true;
        }
        return node.booleanValue();
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

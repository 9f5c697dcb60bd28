package io.vmsnapshot.pluginhost;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmsnapshot.json.JsonText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the values of one plugin config the way customers wrote them for upstream's Python, which
 * took {@code "0"}, {@code 60.0} and {@code ["-p", 5432]} as they came: what has one clear meaning
 * is taken (with a warning where upstream read it differently or where the value was repaired), and
 * only a value that stays unusable is a problem, which makes the config a 305 naming the field.
 */
final class ConfigValues {
    private static final String WHOLE_NUMBER = "[+-]?\\d{1,9}";

    private final String source;
    private final Findings findings;
    private final List<String> problems;

    ConfigValues(String source, Findings findings, List<String> problems) {
        this.source = Objects.requireNonNull(source, "source");
        this.findings = Objects.requireNonNull(findings, "findings");
        this.problems = Objects.requireNonNull(problems, "problems");
    }

    /** A whole number: JSON integers, integral floats ({@code 60.0}) and digit strings ({@code "0"}). */
    Optional<Integer> integer(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null) {
            return Optional.empty();
        }
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return Optional.of(node.intValue());
        }
        if (node.isFloatingPointNumber() && node.canConvertToExactIntegral() && node.canConvertToInt()) {
            return Optional.of(node.intValue());
        }
        if (node.isTextual() && node.asText().strip().matches(WHOLE_NUMBER)) {
            return Optional.of(Integer.parseInt(node.asText().strip()));
        }
        problems.add(field + ": must be a whole number, is " + JsonText.writeString(node));
        return Optional.empty();
    }

    /** Retries below 0 mean "no retry" (upstream's loop ran once): 0 with a warning. */
    int retries(JsonNode root, String field) {
        int retries = integer(root, field).orElse(0);
        if (retries < 0) {
            findings.warn(source + ": " + field + " " + retries + " is negative; taken as 0 (one try, no retry)");
            return 0;
        }
        return retries;
    }

    /**
     * A boolean, absent = true. The strings {@code "true"} and {@code "false"} are taken for what they
     * say, with a warning: upstream's Python took any non-empty string as true, so {@code "false"}
     * did not do what its writer meant there.
     */
    boolean bool(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null) {
            return true;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        String text = node.isTextual() ? node.asText().strip().toLowerCase(Locale.ROOT) : "";
        if (text.equals("true") || text.equals("false")) {
            findings.warn(source + ": " + field + " is the string " + JsonText.writeString(node) + "; taken as " + text
                    + " (write it without quotes; upstream took every non-empty string as true)");
            return text.equals("true");
        }
        problems.add(field + ": must be true or false (without quotes), is " + JsonText.writeString(node));
        return true;
    }

    /** Script params: strings as they are; numbers and booleans as their text, with a warning. */
    List<String> params(JsonNode root, String field) {
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
            JsonNode param = node.get(i);
            if (param.isTextual()) {
                params.add(param.asText());
            } else if (param.isNumber() || param.isBoolean()) {
                findings.warn(source + ": " + field + "[" + i + "] is " + param + ", not a string; passed as \""
                        + param.asText() + "\" (quote it)");
                params.add(param.asText());
            } else {
                problems.add(field + "[" + i + "]: must be a string (quote it), is " + param);
            }
        }
        return params;
    }
}

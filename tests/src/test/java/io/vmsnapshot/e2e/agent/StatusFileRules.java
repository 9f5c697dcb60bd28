package io.vmsnapshot.e2e.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The agent's rules for the files the extension writes (contract §9 status, §10 heartbeat), plus the
 * stricter ones the project sets itself (§13: lowercase values, integer codes, a formattedMessage
 * always). A file the agent would reject, silently rewrite to {@code error}, truncate, or fail to
 * parse with an exception (which drops the status of every extension on the VM that cycle) is a
 * violation: {@link #checkStatus} throws {@link AssertionError} naming the rule.
 */
public final class StatusFileRules {
    public static final long MAX_STATUS_FILE_BYTES = 128 * 1024;
    public static final Duration HEARTBEAT_STALE_AFTER = Duration.ofSeconds(600);
    private static final Set<String> STATUS_VALUES = Set.of("transitioning", "warning", "error", "success");
    private static final Set<String> HEARTBEAT_STATUS_VALUES = Set.of("Ready", "NotReady");
    // Python's json.loads refuses text after the value ("Extra data").
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StatusFileRules() {
    }

    public static AgentStatus checkStatus(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String where = file.toString();
        require(bytes.length <= MAX_STATUS_FILE_BYTES, where, "is " + bytes.length
                + " bytes; the agent truncates the message and drops substatus beyond 128 KiB");
        return checkStatus(bytes, where);
    }

    public static AgentStatus checkStatus(byte[] bytes, String where) {
        JsonNode root = parse(bytes, where);
        require(root.isArray(), where, "top level must be an array (agent error 1012)");
        require(root.size() > 0, where, "is an empty array (the agent uploads a status of null)");
        JsonNode first = root.get(0);
        requireObject(first, where + " [0]");
        require(first.has("status"), where, "[0] has no 'status' (agent error 1012)");
        JsonNode status = first.get("status");
        requireObject(status, where + " [0].status");
        require(status.has("status"), where, "missing status/status key (agent error 1012)");
        String value = statusValue(status.get("status"), where + " [0].status.status");
        int code = intCode(status.get("code"), where + " [0].status.code");
        JsonNode message = formattedMessage(status.get("formattedMessage"), where + " [0].status.formattedMessage");
        List<AgentStatus.Substatus> substatus = substatus(status.get("substatus"), where + " [0].status.substatus");
        JsonNode operation = status.get("operation");
        return new AgentStatus(value, code, message.get("lang").textValue(), message.get("message").textValue(),
                operation == null || operation.isNull() ? null : operation.asText(), substatus);
    }

    /** A heartbeat the agent reads as this status; fails if it would report NotReady/Unresponsive for a bad file. */
    public static String checkHeartbeat(Path file, Instant now) throws IOException {
        String where = file.toString();
        require(Files.isRegularFile(file), where, "missing: the agent reports 'Failed to get heart beat file'");
        Instant modified = Files.getLastModifiedTime(file).toInstant();
        require(Duration.between(modified, now).compareTo(HEARTBEAT_STALE_AFTER) <= 0, where,
                "last written " + modified + ", over 600 s ago: the agent reports the handler Unresponsive");
        JsonNode root = parse(Files.readAllBytes(file), where);
        require(root.isArray() && root.size() > 0 && root.get(0).isObject() && root.get(0).has("heartbeat"),
                where, "must be [{\"heartbeat\": {...}}]: the agent reports 'Malformed heartbeat file'");
        JsonNode heartbeat = root.get(0).get("heartbeat");
        requireObject(heartbeat, where + " [0].heartbeat");
        JsonNode status = heartbeat.get("status");
        require(status != null && status.isTextual() && HEARTBEAT_STATUS_VALUES.contains(status.textValue()), where,
                "heartbeat.status must be Ready or NotReady, is " + status);
        intCode(heartbeat.get("code"), where + " [0].heartbeat.code");
        if (heartbeat.has("formattedMessage")) {
            formattedMessage(heartbeat.get("formattedMessage"), where + " [0].heartbeat.formattedMessage");
        }
        return status.textValue();
    }

    private static List<AgentStatus.Substatus> substatus(JsonNode list, String where) {
        List<AgentStatus.Substatus> items = new ArrayList<>();
        if (list == null || list.isNull()) {
            return items;
        }
        // An object here crashes the agent's parser when one of its keys contains "status".
        require(list.isArray(), where, "must be a list or null, is " + list.getNodeType()
                + " (the agent's parser raises TypeError or rejects it)");
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (item.isNull()) {
                continue;
            }
            String at = where + "[" + i + "]";
            requireObject(item, at);
            require(item.has("status") && item.has("name"), at, "needs 'status' and 'name' (agent error 1012)");
            String value = statusValue(item.get("status"), at + ".status");
            require(item.get("name").isTextual(), at, "name must be text");
            int code = intCode(item.get("code"), at + ".code");
            JsonNode message = formattedMessage(item.get("formattedMessage"), at + ".formattedMessage");
            items.add(new AgentStatus.Substatus(item.get("name").textValue(), value, code,
                    message.get("lang").textValue(), message.get("message").textValue()));
        }
        return items;
    }

    private static String statusValue(JsonNode value, String where) {
        require(value != null && value.isTextual() && STATUS_VALUES.contains(value.textValue()), where,
                "must be one of " + STATUS_VALUES + " (case-sensitive; anything else the agent silently reports"
                        + " as error), is " + value);
        return value.textValue();
    }

    private static int intCode(JsonNode code, String where) {
        require(code != null && code.isIntegralNumber() && code.canConvertToInt(), where,
                "must be an integer, is " + code);
        return code.intValue();
    }

    private static JsonNode formattedMessage(JsonNode message, String where) {
        require(message != null && !message.isNull(), where, "is missing (every status carries a message)");
        // A string here makes the agent's parser raise AttributeError.
        requireObject(message, where);
        require(message.has("lang") && message.has("message"), where, "needs 'lang' and 'message' (agent error 1012)");
        require(message.get("lang").isTextual() && message.get("message").isTextual(), where,
                "lang and message must be text");
        return message;
    }

    /** Non-objects where the agent expects one either crash its parser (numbers, strings with the key) or are rejected. */
    private static void requireObject(JsonNode node, String where) {
        require(node != null && node.isObject(), where, "must be an object, is "
                + (node == null ? "absent" : node.getNodeType())
                + " (the agent's 'key in obj' check crashes or rejects the whole status)");
    }

    private static JsonNode parse(byte[] bytes, String where) {
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new AssertionError(where + ": not valid JSON (agent error 1012): " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void require(boolean condition, String where, String rule) {
        if (!condition) {
            throw new AssertionError(where + ": " + rule);
        }
    }
}

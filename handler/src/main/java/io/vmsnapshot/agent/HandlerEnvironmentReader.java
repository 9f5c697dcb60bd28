package io.vmsnapshot.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.json.JsonText;
import io.vmsnapshot.json.MalformedJsonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the agent's {@code HandlerEnvironment.json} (docs/agent-contract.md §2). The agent writes a
 * one-element array; a bare object is accepted too, as upstream does. {@code eventsFolder} is
 * optional because older agents do not write it.
 */
public final class HandlerEnvironmentReader {
    private static final String[] REQUIRED_FOLDERS = {"logFolder", "configFolder", "statusFolder", "heartbeatFile"};

    public HandlerEnvironment read(Path handlerEnvironmentJson) throws HandlerException {
        JsonNode root = parse(handlerEnvironmentJson);
        JsonNode entry = root;
        if (root.isArray()) {
            if (root.isEmpty()) {
                throw invalid(handlerEnvironmentJson, "is an empty array; expected one handler environment object");
            }
            entry = root.get(0);
        }
        if (!entry.isObject()) {
            throw invalid(handlerEnvironmentJson, "does not hold a JSON object");
        }
        String name = text(entry, "name");
        if (name == null || name.isBlank()) {
            throw invalid(handlerEnvironmentJson, "has no string field 'name'");
        }
        JsonNode folders = entry.get("handlerEnvironment");
        if (folders == null || !folders.isObject()) {
            throw invalid(handlerEnvironmentJson, "has no object 'handlerEnvironment'");
        }
        Path[] required = new Path[REQUIRED_FOLDERS.length];
        for (int i = 0; i < REQUIRED_FOLDERS.length; i++) {
            required[i] = requiredPath(handlerEnvironmentJson, folders, REQUIRED_FOLDERS[i]);
        }
        return new HandlerEnvironment(name, required[0], required[1], required[2], required[3],
                optionalPath(handlerEnvironmentJson, folders, "eventsFolder"));
    }

    private JsonNode parse(Path file) throws HandlerException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw invalid(file, "does not exist");
        } catch (IOException e) {
            throw new HandlerException(ErrorCode.HANDLER_ENVIRONMENT_INVALID,
                    "HandlerEnvironment file " + file + " cannot be read: " + e, e);
        }
        JsonNode root;
        try {
            root = JsonText.parse(content);
        } catch (MalformedJsonException e) {
            throw invalid(file, "is not valid JSON (" + e.problem() + ")");
        }
        if (root.isMissingNode()) {
            throw invalid(file, "is empty");
        }
        return root;
    }

    private static Path requiredPath(Path file, JsonNode folders, String field) throws HandlerException {
        return optionalPath(file, folders, field)
                .orElseThrow(() -> invalid(file, "has no string field 'handlerEnvironment." + field + "'"));
    }

    private static Optional<Path> optionalPath(Path file, JsonNode folders, String field) throws HandlerException {
        String value = text(folders, field);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path path = file.getFileSystem().getPath(value);
        if (!path.isAbsolute()) {
            throw invalid(file, "field 'handlerEnvironment." + field + "' is not an absolute path: " + value);
        }
        return Optional.of(path.normalize());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.textValue();
    }

    private static HandlerException invalid(Path file, String problem) {
        return new HandlerException(ErrorCode.HANDLER_ENVIRONMENT_INVALID, "HandlerEnvironment file " + file + " " + problem);
    }
}

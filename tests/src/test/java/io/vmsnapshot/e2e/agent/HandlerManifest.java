package io.vmsnapshot.e2e.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code HandlerManifest.json} read the way the agent reads it (contract §3): {@code data[0].handlerManifest},
 * all five commands required, booleans as the current agent parses them (only {@code true} or the
 * string "true"), {@code updateMode} absent or "UpdateWithInstall" (any case) meaning "install during update".
 */
public record HandlerManifest(Map<AgentSimulator.Operation, String> commands, boolean reportHeartbeat,
                              boolean updateWithInstall, boolean continueOnUpdateFailure,
                              boolean supportsMultipleExtensions) {
    public HandlerManifest {
        commands = Map.copyOf(commands);
    }

    public static HandlerManifest read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(file));
        if (!root.isArray() || root.isEmpty()) {
            throw new IOException(file + ": the agent uses data[0]; the top level must be a non-empty array");
        }
        JsonNode manifest = root.get(0).path("handlerManifest");
        Map<AgentSimulator.Operation, String> commands = new EnumMap<>(AgentSimulator.Operation.class);
        for (AgentSimulator.Operation operation : AgentSimulator.Operation.values()) {
            JsonNode command = manifest.get(operation.manifestKey());
            if (command == null || !command.isTextual() || command.textValue().isBlank()) {
                throw new IOException(file + ": " + operation.manifestKey() + " is required (agent KeyError)");
            }
            commands.put(operation, command.textValue());
        }
        JsonNode updateMode = manifest.get("updateMode");
        boolean updateWithInstall = updateMode == null || updateMode.isNull()
                || updateMode.asText().equalsIgnoreCase("UpdateWithInstall");
        return new HandlerManifest(commands, strictBoolean(manifest.get("reportHeartbeat")), updateWithInstall,
                strictBoolean(manifest.get("continueOnUpdateFailure")),
                strictBoolean(manifest.get("supportsMultipleExtensions")));
    }

    public String command(AgentSimulator.Operation operation) {
        return commands.get(operation);
    }

    private static boolean strictBoolean(JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        return value.isBoolean() ? value.booleanValue() : value.isTextual() && value.textValue().equalsIgnoreCase("true");
    }
}

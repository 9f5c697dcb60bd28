package io.vmsnapshot.status;

import io.vmsnapshot.agent.AtomicFiles;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmsnapshot.json.JsonText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes {@code heartbeat.log} in the agent's format (docs/agent-contract.md §10): a one-element array
 * whose {@code heartbeat.status} the agent copies into the handler status.
 */
public final class HeartbeatWriter {
    private static final double SCHEMA_VERSION = 1.0;

    private final Path heartbeatFile;
    private final JsonNodeFactory json = JsonNodeFactory.instance;

    public HeartbeatWriter(Path heartbeatFile) {
        this.heartbeatFile = Objects.requireNonNull(heartbeatFile, "heartbeatFile");
    }

    public void write(Heartbeat heartbeat) throws IOException {
        ObjectNode message = json.objectNode();
        message.put("lang", heartbeat.formattedMessage().lang());
        message.put("message", heartbeat.formattedMessage().message());
        ObjectNode body = json.objectNode();
        body.put("status", heartbeat.status());
        body.put("code", heartbeat.code());
        body.set("formattedMessage", message);
        ObjectNode document = json.objectNode();
        document.put("version", SCHEMA_VERSION);
        document.set("heartbeat", body);
        // Not flushed: the agent reads the heartbeat only with reportHeartbeat on, which we keep off,
        // and never needs the one from before a crash; every command writes it.
        AtomicFiles.writeUnflushed(heartbeatFile, JsonText.write(json.arrayNode().add(document)));
    }
}

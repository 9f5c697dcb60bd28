package io.vmsnapshot.status;

import io.vmsnapshot.agent.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmsnapshot.json.JsonText;
import io.vmsnapshot.json.MalformedJsonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes {@code <statusFolder>/<seq>.status} in the shape the agent's parser accepts without
 * complaint (docs/agent-contract.md §9): a one-element array, lowercase status values, integer codes,
 * a {@code formattedMessage} everywhere, and never more than 128 KiB.
 */
public final class StatusFileWriter {
    /** The agent starts truncating on its own above this many bytes. */
    public static final int MAX_FILE_BYTES = 128 * 1024;
    private static final double SCHEMA_VERSION = 1.0;

    private final Path statusFolder;
    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final StatusSizeLimiter limiter = new StatusSizeLimiter(MAX_FILE_BYTES);

    public StatusFileWriter(Path statusFolder) {
        this.statusFolder = Objects.requireNonNull(statusFolder, "statusFolder");
    }

    public Path statusFile(int seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("sequence number must not be negative: " + seq);
        }
        return statusFolder.resolve(seq + ".status");
    }

    public void write(int seq, StatusReport report) throws IOException {
        Path file = statusFile(seq);
        AtomicFiles.write(file, limiter.fit(report, this::serialize));
    }

    /**
     * The report last written for {@code seq}; empty if there is none or the file is not one
     * this class wrote (a torn or foreign file is no report to build on).
     */
    public Optional<StatusReport> read(int seq) {
        try {
            JsonNode root = JsonText.parse(Files.readAllBytes(statusFile(seq)));
            return root.isArray() && root.size() == 1 ? toReport(root.get(0)) : Optional.empty();
        } catch (IOException | MalformedJsonException e) {
            return Optional.empty();
        }
    }

    private byte[] serialize(StatusReport report) {
        ObjectNode status = json.objectNode();
        String timestamp = DateTimeFormatter.ISO_INSTANT.format(report.timestamp().truncatedTo(ChronoUnit.SECONDS));
        status.put("name", report.name());
        status.put("operation", report.operation());
        status.put("status", report.status().wireName());
        status.put("code", report.code());
        status.put("configurationAppliedTime", timestamp);
        status.set("formattedMessage", formattedMessage(report.formattedMessage()));
        ArrayNode substatus = status.putArray("substatus");
        for (Substatus entry : report.substatus()) {
            ObjectNode item = substatus.addObject();
            item.put("name", entry.name());
            item.put("status", entry.status().wireName());
            item.put("code", entry.code());
            item.set("formattedMessage", formattedMessage(entry.formattedMessage()));
        }
        ObjectNode document = json.objectNode();
        document.put("version", SCHEMA_VERSION);
        document.put("timestampUTC", timestamp);
        document.set("status", status);
        return JsonText.write(json.arrayNode().add(document));
    }

    private ObjectNode formattedMessage(FormattedMessage message) {
        ObjectNode node = json.objectNode();
        node.put("lang", message.lang());
        node.put("message", message.message());
        return node;
    }

    private static Optional<StatusReport> toReport(JsonNode document) {
        JsonNode status = document.path("status");
        Optional<StatusType> type = StatusType.fromWireName(status.path("status").asText());
        Optional<FormattedMessage> message = formattedMessage(status.path("formattedMessage"));
        Optional<Instant> timestamp = instant(document.path("timestampUTC").asText());
        if (type.isEmpty() || message.isEmpty() || timestamp.isEmpty() || !status.path("code").isInt()) {
            return Optional.empty();
        }
        List<Substatus> substatus = new ArrayList<>();
        for (JsonNode item : status.path("substatus")) {
            Optional<StatusType> itemType = StatusType.fromWireName(item.path("status").asText());
            Optional<FormattedMessage> itemMessage = formattedMessage(item.path("formattedMessage"));
            if (itemType.isEmpty() || itemMessage.isEmpty() || !item.path("name").isTextual()) {
                return Optional.empty();
            }
            substatus.add(new Substatus(item.get("name").textValue(), itemType.get(), item.path("code").asInt(),
                    itemMessage.get()));
        }
        return Optional.of(new StatusReport(status.path("name").asText(), status.path("operation").asText(),
                type.get(), status.get("code").intValue(), message.get(), substatus, timestamp.get()));
    }

    private static Optional<FormattedMessage> formattedMessage(JsonNode node) {
        if (!node.path("lang").isTextual() || !node.path("message").isTextual()) {
            return Optional.empty();
        }
        return Optional.of(new FormattedMessage(node.get("lang").textValue(), node.get("message").textValue()));
    }

    private static Optional<Instant> instant(String text) {
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}

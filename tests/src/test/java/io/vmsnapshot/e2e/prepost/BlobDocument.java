package io.vmsnapshot.e2e.prepost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmsnapshot.e2e.agent.AgentStatus;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The status document the Azure Backup service reads, as the handler hands it over: the name of
 * the file status's one substatus (upstream's carrier), a JSON array of one document whose
 * {@code formattedMessage.message} is itself JSON (the extension response).
 *
 * @param status              {@code success} or {@code error}: the service's verdict on the backup
 * @param code                the outcome code (0 application consistent, 1 success, else the error)
 * @param healthState         {@code vmHealthInfo.vmHealthState} (128 = yellow: usable, not what was asked)
 * @param healthCode          {@code vmHealthInfo.vmHealthStatusCode}: the first problem's code
 * @param snapshotConsistency 0 none, 1 file system, 2 application, 3 crash
 * @param messageStr          the human message inside the extension response
 */
record BlobDocument(String status, int code, int healthState, int healthCode, int snapshotConsistency,
                    String messageStr) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static BlobDocument of(AgentStatus fileStatus) {
        if (fileStatus.substatus().size() != 1) {
            throw new AssertionError("expected the blob document as the one substatus: " + fileStatus);
        }
        try {
            JsonNode status = JSON.readTree(fileStatus.substatus().get(0).name()).get(0).get("status");
            JsonNode response = JSON.readTree(status.get("formattedMessage").get("message").asText());
            JsonNode health = status.get("vmHealthInfo");
            return new BlobDocument(status.get("status").asText(), Integer.parseInt(status.get("code").asText()),
                    health.get("vmHealthState").asInt(), health.get("vmHealthStatusCode").asInt(),
                    response.get("snapshotConsistency").asInt(), response.get("messageStr").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("the substatus is no blob document: " + fileStatus, e);
        }
    }
}

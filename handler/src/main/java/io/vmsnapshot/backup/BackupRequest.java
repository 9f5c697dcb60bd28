package io.vmsnapshot.backup;

import io.vmsnapshot.agent.HandlerEnvironment;
import io.vmsnapshot.error.Messages;
import io.vmsnapshot.settings.HandlerSettings;
import java.util.Objects;

/** One backup to run: the settings of one sequence number, decrypted and validated. */
public record BackupRequest(int sequenceNumber, HandlerSettings settings, HandlerEnvironment environment,
                            Messages messages) {
    public BackupRequest {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(messages, "messages");
    }
}

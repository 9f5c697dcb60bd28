package io.vmsnapshot.status;

import java.util.Objects;

/** A message and its language tag, e.g. {@code en-US}, as the agent's status and heartbeat carry it. */
public record FormattedMessage(String lang, String message) {
    public static final String ENGLISH = "en-US";

    public FormattedMessage {
        Objects.requireNonNull(lang, "lang");
        Objects.requireNonNull(message, "message");
    }

    public static FormattedMessage english(String message) {
        return new FormattedMessage(ENGLISH, message);
    }
}

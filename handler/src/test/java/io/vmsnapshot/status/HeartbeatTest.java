package io.vmsnapshot.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HeartbeatTest {
    @Test
    void heartbeat_withAnyOtherStatusThanReadyOrNotReady_isRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new Heartbeat("ready", 0, FormattedMessage.english("")));
    }

    @Test
    void notReady_carriesTheCode() {
        assertEquals(new Heartbeat("NotReady", 3, FormattedMessage.english("m")), Heartbeat.notReady(3, "m"));
    }
}

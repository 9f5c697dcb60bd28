package io.vmsnapshot.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperationTest {
    @Test
    void fromVerb_acceptsLeadingDashesAndAnyCase() {
        assertEquals(Optional.of(Operation.ENABLE), Operation.fromVerb("enable"));
        assertEquals(Optional.of(Operation.ENABLE), Operation.fromVerb("-Enable"));
        assertEquals(Optional.of(Operation.DRY_RUN), Operation.fromVerb("--dry-run"));
    }

    @Test
    void fromVerb_rejectsUnknownVerbs() {
        assertEquals(Optional.empty(), Operation.fromVerb("daemon"));
        assertEquals(Optional.empty(), Operation.fromVerb(""));
    }

    @Test
    void statusName_isWhatTheStatusFileSays_theWorkerReportingAsEnable() {
        assertEquals("Enable", Operation.WORKER.statusName());
        assertEquals("Enable", Operation.ENABLE.statusName());
        assertEquals("Install", Operation.INSTALL.statusName());
    }
}

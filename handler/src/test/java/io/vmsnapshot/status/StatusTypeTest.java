package io.vmsnapshot.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusTypeTest {
    @Test
    void wireName_isLowercaseAsTheAgentCompares() {
        assertEquals(List.of("transitioning", "warning", "error", "success"),
                Arrays.stream(StatusType.values()).map(StatusType::wireName).toList());
    }

    @Test
    void fromWireName_isCaseSensitiveLikeTheAgent() {
        assertEquals(Optional.of(StatusType.SUCCESS), StatusType.fromWireName("success"));
        assertEquals(Optional.empty(), StatusType.fromWireName("Success"));
    }

    @Test
    void isTerminal_onlyForSuccessAndError() {
        assertTrue(StatusType.SUCCESS.isTerminal() && StatusType.ERROR.isTerminal());
        assertFalse(StatusType.WARNING.isTerminal() || StatusType.TRANSITIONING.isTerminal());
    }
}

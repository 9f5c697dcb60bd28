package io.vmsnapshot.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessResultTest {
    private static ProcessResult of(int status) {
        return ProcessResult.fromStatus(status, false, Duration.ZERO, List.of(), false);
    }

    @Test
    void fromStatus_signalRange_isReportedAsSignal() {
        assertEquals(15, of(143).signal());
        assertNull(of(143).exitCode());
    }

    @Test
    void fromStatus_ordinaryAndHighStatuses_areExitCodes() {
        assertEquals(1, of(1).exitCode());
        assertEquals(128, of(128).exitCode());
        assertEquals(255, of(255).exitCode());
        assertFalse(of(255).succeeded());
    }
}

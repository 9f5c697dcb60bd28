package io.vmsnapshot.snapshot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotRequestTest {
    @Test
    void toString_showsTheBlobsWithoutTheirSasAndHidesTheTaskToken() {
        SnapshotRequest request = new SnapshotRequest("task-1", "task-token-secret",
                List.of("https://acct.blob.core.windows.net/vhds/os.vhd?sv=2021-08-06&sig=SIGNATURE%3D"), List.of(),
                List.of(-1), Map.of(), SnapshotMode.ONLY_GUEST, false, null);

        String text = request.toString();

        assertTrue(text.contains("https://acct.blob.core.windows.net/vhds/os.vhd"), text);
        assertFalse(text.contains("SIGNATURE"), text);
        assertFalse(text.contains("sv=2021"), text);
        assertFalse(text.contains("task-token-secret"), text);
    }

    @Test
    void constructor_rejectsANegativeInstantAccessDuration() {
        assertThrows(IllegalArgumentException.class, () -> new SnapshotRequest("t", null, List.of(), List.of(), List.of(),
                Map.of(), SnapshotMode.ONLY_HOST, false, -1));
    }
}

package io.vmsnapshot.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.backup.BackupFixtures.Request;
import io.vmsnapshot.error.HandlerException;
import io.vmsnapshot.settings.KeyValue;
import io.vmsnapshot.snapshot.MetadataEntry;
import io.vmsnapshot.snapshot.SnapshotMode;
import io.vmsnapshot.snapshot.SnapshotRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnapshotRequestsTest {
    private final Request request = new Request();

    private SnapshotRequest build(Optional<String> configMethod) throws HandlerException {
        return SnapshotRequests.from(request.settings(), configMethod);
    }

    @Test
    void from_withNothingConfigured_takesTheDefaultModeFirstHostThenGuest() throws HandlerException {
        assertEquals(SnapshotMode.FIRST_HOST_THEN_GUEST, build(Optional.empty()).mode());
    }

    @Test
    void from_takesTheModeFromCustomSettings() throws HandlerException {
        request.customSettings = Optional.of("{\"takeSnapshotFrom\":\"firstGuestThenHost\"}");
        assertEquals(SnapshotMode.FIRST_GUEST_THEN_HOST, build(Optional.empty()).mode());
    }

    @Test
    void from_whenVmBackupConfNamesAMethod_itWinsOverCustomSettings() throws HandlerException {
        request.customSettings = Optional.of("{\"takeSnapshotFrom\":\"onlyHost\"}");
        assertEquals(SnapshotMode.ONLY_GUEST, build(Optional.of("onlyGuest")).mode());
    }

    @Test
    void from_withABlankTakeSnapshotFrom_keepsTheDefault() throws HandlerException {
        request.customSettings = Optional.of("{\"takeSnapshotFrom\":\"  \"}");
        assertEquals(SnapshotMode.FIRST_HOST_THEN_GUEST, build(Optional.empty()).mode());
    }

    @Test
    void from_whenAnIncludedLunIsWriteAccelerated_onlyTheHostCanSnapshot() throws HandlerException {
        request.customSettings = Optional.of("{\"takeSnapshotFrom\":\"onlyGuest\",\"waDiskLunList\":[1]}");
        assertEquals(SnapshotMode.ONLY_HOST, build(Optional.empty()).mode());
    }

    @Test
    void from_whenTheWriteAcceleratedLunIsNotIncluded_keepsTheChosenMode() throws HandlerException {
        request.customSettings = Optional.of("{\"takeSnapshotFrom\":\"onlyGuest\",\"waDiskLunList\":[5]}");
        assertEquals(SnapshotMode.ONLY_GUEST, build(Optional.empty()).mode());
    }

    @Test
    void from_matchesWellKnownFlagsCaseInsensitivelyAndIgnoresUnknownOnes() throws HandlerException {
        request.dynamic = List.of(new KeyValue("ISSNAPSHOTTTLENABLED", "True"),
                new KeyValue("usemccfforlad", "false"), new KeyValue("someFutureFlag", "true"));

        Map<String, Boolean> flags = build(Optional.empty()).wellKnownFlags();

        assertEquals(Map.of("isSnapshotTtlEnabled", true, "useMccfToFetchDsasForAllDisks", false,
                "useMccfForLad", false, "EnableVMSnapshotExtensionPolling", false, "isVmmdBlobIncluded", false), flags);
    }

    @Test
    void from_whenCustomSettingsHaveABackupTaskId_itReplacesTheTaskId() throws HandlerException {
        request.customSettings = Optional.of("{\"backupTaskId\":\"bt-1\"}");
        assertEquals("bt-1", build(Optional.empty()).taskId());
    }

    @Test
    void from_whenTheBackupTaskIdIsBlank_keepsTheTaskId() throws HandlerException {
        request.customSettings = Optional.of("{\"backupTaskId\":\"\"}");
        assertEquals("task-1", build(Optional.empty()).taskId());
    }

    @Test
    void from_carriesLunsBlobsMetadataAndTheTaskToken() throws HandlerException {
        SnapshotRequest built = build(Optional.empty());

        assertEquals(List.of(0, 1, -1), built.includeLunList());
        assertEquals(request.blobs, built.blobSasUris());
        assertEquals(List.of(new MetadataEntry("backupId", "b-1")), built.backupMetadata());
        assertEquals("token-xyz", built.snapshotTaskToken());
    }

    @Test
    void singleDisk_whenOnlyTheOsDiskIsIncluded_isTrue() {
        request.dataLuns = List.of();
        assertTrue(SnapshotRequests.singleDisk(request.settings()));
    }

    @Test
    void singleDisk_whenADataDiskIsIncludedToo_isFalse() {
        assertFalse(SnapshotRequests.singleDisk(request.settings()));
    }

    @Test
    void singleDisk_whenOnlyADataDiskIsIncluded_isFalse() {
        request.dataLuns = List.of(0);
        request.osDisk = false;
        assertFalse(SnapshotRequests.singleDisk(request.settings()));
    }

    @Test
    void singleDisk_withoutALunList_countsTheBlobs() {
        request.dataLuns = List.of();
        request.osDisk = false;
        assertFalse(SnapshotRequests.singleDisk(request.settings()));
        request.blobs = request.blobs.subList(0, 1);
        assertTrue(SnapshotRequests.singleDisk(request.settings()));
    }
}

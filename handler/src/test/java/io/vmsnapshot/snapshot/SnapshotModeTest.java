package io.vmsnapshot.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnapshotModeTest {
    private static SnapshotModeInputs inputs(String conf, String custom, List<Integer> wa, List<Integer> luns,
                                             boolean waFlag, boolean vmgs, boolean dd, boolean excluded) {
        return new SnapshotModeInputs(Optional.ofNullable(conf), Optional.ofNullable(custom), wa, luns, waFlag, vmgs, dd, excluded);
    }

    @Test
    void select_withNothingConfigured_isFirstHostThenGuest() {
        assertEquals(SnapshotMode.FIRST_HOST_THEN_GUEST, SnapshotMode.select(SnapshotModeInputs.none()));
    }

    @Test
    void select_takesCustomSettingsTakeSnapshotFrom() {
        assertEquals(SnapshotMode.ONLY_GUEST, SnapshotMode.select(inputs(null, "onlyGuest", List.of(), List.of(), false, false, false, false)));
    }

    @Test
    void select_letsVmbackupConfSnapshotMethodOverrideCustomSettings() {
        assertEquals(SnapshotMode.FIRST_GUEST_THEN_HOST,
                SnapshotMode.select(inputs("firstGuestThenHost", "onlyGuest", List.of(), List.of(), false, false, false, false)));
    }

    @Test
    void select_whenTheNameIsUnknown_fallsBackToTheNextSource() {
        assertEquals(SnapshotMode.ONLY_HOST, SnapshotMode.select(inputs("bogus", "OnlyHost", List.of(), List.of(), false, false, false, false)));
        assertEquals(SnapshotMode.FIRST_HOST_THEN_GUEST, SnapshotMode.select(inputs(null, "bogus", List.of(), List.of(), false, false, false, false)));
    }

    @Test
    void select_whenAnIncludedLunIsWriteAccelerated_isOnlyHost() {
        assertEquals(SnapshotMode.ONLY_HOST, SnapshotMode.select(inputs(null, "onlyGuest", List.of(3), List.of(-1, 3), false, false, false, false)));
        assertEquals(SnapshotMode.ONLY_GUEST, SnapshotMode.select(inputs(null, "onlyGuest", List.of(3), List.of(-1, 0), false, false, false, false)));
    }

    @Test
    void select_whenAHostOnlyDiskIsIncluded_isOnlyHost() {
        assertEquals(SnapshotMode.ONLY_HOST, SnapshotMode.select(inputs("onlyGuest", null, List.of(), List.of(0), true, false, false, false)));
        assertEquals(SnapshotMode.ONLY_HOST, SnapshotMode.select(inputs("onlyGuest", null, List.of(), List.of(0), false, true, false, false)));
        assertEquals(SnapshotMode.ONLY_HOST, SnapshotMode.select(inputs("onlyGuest", null, List.of(), List.of(0), false, false, true, false)));
    }

    @Test
    void select_whenDisksAreExcludedWithoutALunList_isOnlyGuest() {
        assertEquals(SnapshotMode.ONLY_GUEST, SnapshotMode.select(inputs(null, "onlyHost", List.of(), List.of(), false, false, false, true)));
        assertEquals(SnapshotMode.ONLY_HOST, SnapshotMode.select(inputs(null, "onlyHost", List.of(), List.of(1), false, false, false, true)));
    }

    @Test
    void fromWireName_ignoresCaseAndBlanks() {
        assertEquals(Optional.of(SnapshotMode.FIRST_GUEST_THEN_HOST), SnapshotMode.fromWireName(" FIRSTGUESTTHENHOST "));
        assertEquals(Optional.empty(), SnapshotMode.fromWireName(""));
    }
}

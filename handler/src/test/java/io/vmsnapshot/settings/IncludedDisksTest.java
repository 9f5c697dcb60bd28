package io.vmsnapshot.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IncludedDisksTest {
    @Test
    void includeLunList_withOsDisk_appendsMinusOne() {
        assertEquals(List.of(0, 2, -1), disks(List.of(0, 2), true).includeLunList());
    }

    @Test
    void includeLunList_withoutOsDisk_isTheDataLuns() {
        assertEquals(List.of(4), disks(List.of(4), false).includeLunList());
    }

    @Test
    void includeLunList_ofNone_isEmpty() {
        assertEquals(List.of(), IncludedDisks.NONE.includeLunList());
    }

    private static IncludedDisks disks(List<Integer> luns, boolean osDisk) {
        return new IncludedDisks(luns, osDisk, false, false, Optional.empty(), false, false, false, false);
    }
}

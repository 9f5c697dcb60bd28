package io.vmsnapshot.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcTableTest {
    @Test
    void parse_commandNameWithSpacesAndParentheses_readsTheFieldsAfterIt() {
        String stat = "42 (we ird) (name) Z 7 40 39 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 12345 0 0";

        ProcTable.Entry entry = ProcTable.parse(42, stat);

        assertEquals(7, entry.parent());
        assertEquals(40, entry.group());
        assertEquals(39, entry.session());
        assertEquals(12345, entry.startTicks());
        assertFalse(entry.isLive());
    }

    @Test
    void all_containsThisProcess() {
        ProcTable table = new ProcTable(Path.of("/proc"));
        long self = ProcessHandle.current().pid();

        assertTrue(table.all().stream().anyMatch(entry -> entry.pid() == self));
        assertTrue(table.isLive(table.read(self).orElseThrow()));
    }
}

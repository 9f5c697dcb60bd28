package io.vmsnapshot.lifecycle;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import static org.junit.jupiter.api.Assertions.assertThrows;
import io.vmsnapshot.agent.Operation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Per-verb policy is data: asserted row by row. */
class CommandTableTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final AgentLayout agent = new AgentLayout(fs.getPath("/var/lib/waagent"));
    private final Command check = arguments -> 0;
    private final Command dryRun = arguments -> 0;
    private final CommandTable table = CommandTable.standard(agent.commands(check, dryRun));

    @AfterEach
    void tearDown() throws IOException {
        fs.close();
    }

    private void assertRow(Operation operation, String verb, Class<?> type, boolean reportsStatus, int failExitCode) {
        CommandSpec spec = table.find(operation).orElseThrow();
        assertEquals(verb, operation.verb());
        assertEquals(operation, spec.operation());
        assertInstanceOf(type, spec.command(), verb);
        assertEquals(reportsStatus, spec.reportsStatus(), verb + " reportsStatus");
        assertEquals(failExitCode, spec.failExitCode(), verb + " failExitCode");
    }

    @Test
    void standard_install() {
        assertRow(Operation.INSTALL, "install", InstallCommand.class, false, 52);
    }

    @Test
    void standard_enable() {
        assertRow(Operation.ENABLE, "enable", EnableCommand.class, true, 3);
    }

    @Test
    void standard_disable() {
        assertRow(Operation.DISABLE, "disable", DisableCommand.class, false, 3);
    }

    @Test
    void standard_uninstall() {
        assertRow(Operation.UNINSTALL, "uninstall", UninstallCommand.class, false, 3);
    }

    @Test
    void standard_update() {
        assertRow(Operation.UPDATE, "update", UpdateCommand.class, false, 3);
    }

    @Test
    void standard_worker() {
        assertRow(Operation.WORKER, "worker", WorkerCommand.class, true, 3);
    }

    @Test
    void standard_status() {
        assertRow(Operation.STATUS, "status", StatusCommand.class, false, 3);
    }

    @Test
    void standard_operatorCommandsAreTheOnesGiven() {
        assertSame(check, table.find(Operation.CHECK).orElseThrow().command());
        assertSame(dryRun, table.find(Operation.DRY_RUN).orElseThrow().command());
        assertEquals("check", Operation.CHECK.verb());
        assertEquals("dry-run", Operation.DRY_RUN.verb());
        assertEquals(false, table.find(Operation.CHECK).orElseThrow().reportsStatus());
        assertEquals(false, table.find(Operation.DRY_RUN).orElseThrow().reportsStatus());
    }

    @Test
    void standard_withoutACommandForSomeOperation_refusesToBuild() {
        Map<Operation, Command> missing = new EnumMap<>(agent.commands(check, dryRun));
        missing.remove(Operation.STATUS);

        assertThrows(IllegalArgumentException.class, () -> CommandTable.standard(missing));
    }

    @Test
    void standard_hasARowForEveryOperation() {
        for (Operation operation : Operation.values()) {
            assertEquals(operation, table.find(operation).orElseThrow().operation());
        }
    }
}

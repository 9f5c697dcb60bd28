package io.vmsnapshot.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.error.HandlerException;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandlerTest {
    private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
    private final AgentLayout agent = new AgentLayout(fs.getPath("/var/lib/waagent"));

    @AfterEach
    void tearDown() throws IOException {
        fs.close();
    }

    private int run(Command check, String... arguments) {
        return agent.handler(check).run(List.of(arguments));
    }

    @Test
    void run_withoutAVerb_printsUsageAndExits2() {
        assertEquals(ExitCodes.USAGE, agent.handle());
        assertTrue(agent.printed().startsWith("usage: handle.sh <install|enable|disable|uninstall|update|worker|check|dry-run|status>"),
                agent.printed());
    }

    @Test
    void run_withAnUnknownVerb_printsUsageAndExits2() {
        assertEquals(ExitCodes.USAGE, agent.handle("daemon"));
    }

    @Test
    void run_passesTheRemainingArgumentsAndReturnsTheCommandsExitCode() {
        List<List<String>> seen = new java.util.ArrayList<>();
        assertEquals(7, run(a -> {
            seen.add(a);
            return 7;
        }, "check", "--verbose"));
        assertEquals(List.of(List.of("--verbose")), seen);
    }

    @Test
    void run_whenANonReportingCommandFails_printsTheErrorAndWritesNoStatus() {
        int exit = run(a -> {
            throw new HandlerException(ErrorCode.PLUGIN_CONFIG_INVALID, "/etc/azure/x.json: line 3");
        }, "check");

        assertEquals(ExitCodes.FAILURE, exit);
        assertTrue(agent.printed().contains("/etc/azure/x.json: line 3"), agent.printed());
        assertFalse(agent.hasStatus(0));
    }

    @Test
    void run_whenAReportingCommandFailsWithoutHandlerEnvironment_reportsInTheFallbackFolder() throws IOException {
        Files.delete(agent.base.resolve("HandlerEnvironment.json"));

        assertEquals(ExitCodes.FAILURE, agent.handle("worker", "6"));

        assertEquals(ErrorCode.HANDLER_ENVIRONMENT_INVALID.code(), agent.status(6).get("code").asInt());
    }

    @Test
    void run_whenInstallCrashes_exitsWithTheInstallFailureCode() throws IOException {
        Files.writeString(agent.base.resolve("state"), "a file where the state dir should be");

        assertEquals(ExitCodes.INSTALL_FAILED, agent.handle("install"));
        assertTrue(agent.printed().contains(ErrorCode.SYSTEM_ERROR.upstreamName()), agent.printed());
    }
}

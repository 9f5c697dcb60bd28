package io.vmsnapshot.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentSimulator.Operation;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.agent.SettingsBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What enable's JVM does before it hands the backup to the worker, read from the JVM's own
 * class-initialisation log (VMSNAPSHOT_JVM_OPTIONS, which the launcher appends to the JVM flags).
 * Enable reads small agent files and writes a status: constructing Jackson's ObjectMapper and
 * parsing numbers through BigDecimal cost such a short process more than its own work (issue 13),
 * and nothing in a timing would show which change brought them back. The worker inherits the flags
 * and may use both; only enable's log is judged.
 */
class EnableStartUpTest {
    /** Initialised by the worker, which runs the backup; never by enable, which only hands it over. */
    private static final String WORKER_ONLY = "'io/vmsnapshot/backup/SnapshotBackup'";

    @TempDir
    Path sandbox;
    @TempDir
    Path initLogs;
    private AgentSimulator agent;

    @AfterEach
    void letTheWorkerFinish() throws Exception {
        if (agent != null) {
            Await.noWorkers(agent.baseDir(), Duration.ofSeconds(30));
        }
    }

    @Test
    void enablingANewRequestInitialisesNeitherObjectMapperNorBigDecimal() throws Exception {
        agent = AgentSimulator.inSandbox(sandbox);
        String version = AgentSimulator.builtVersion();
        agent.download(AgentSimulator.builtZip(), version);
        agent.writeSettings(version, 0, SettingsBuilder.snapshot().build());
        CommandResult install = agent.run(Operation.INSTALL, version, Map.of());
        assertEquals(0, install.exitCode(), install.toString());

        // A per-command variable: install above is not logged, enable and the worker it starts are.
        CommandResult enable = agent.run(Operation.ENABLE, version, Map.of("VMSNAPSHOT_JVM_OPTIONS",
                "-Xlog:class+init=info:file=" + initLogs.resolve("init-%p.log")));
        assertEquals(0, enable.exitCode(), enable.toString());
        Await.terminalStatus(agent, 0, Duration.ofSeconds(60));
        assertEquals(List.of(), Await.noWorkers(agent.baseDir(), Duration.ofSeconds(30)), "the worker ended");

        String enableLog = enableLog();
        assertTrue(enableLog.contains("'io/vmsnapshot/settings/SettingsReader'"),
                "the logged enable is the one that read the request");
        assertFalse(enableLog.contains("'com/fasterxml/jackson/databind/ObjectMapper'"),
                "enable constructed an ObjectMapper");
        assertFalse(enableLog.contains("'java/math/BigDecimal'"), "enable initialised BigDecimal");
    }

    /** Of the two logs (enable's and its worker's), the one without the worker's command. */
    private String enableLog() throws IOException {
        List<String> withoutWorker = new ArrayList<>();
        List<Path> logs;
        try (Stream<Path> files = Files.list(initLogs)) {
            logs = files.sorted().toList();
        }
        for (Path log : logs) {
            String text = Files.readString(log);
            if (!text.contains(WORKER_ONLY)) {
                withoutWorker.add(text);
            }
        }
        assertEquals(2, logs.size(), "one log of enable and one of its worker: " + logs);
        assertEquals(1, withoutWorker.size(), "exactly one log is not the worker's: " + logs);
        return withoutWorker.get(0);
    }
}

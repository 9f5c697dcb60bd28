package io.vmsnapshot.e2e.backup;

import io.vmsnapshot.e2e.CiRequirement;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentSimulator.Operation;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.fixtures.Cleanup;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The VM a backup test class shares between its tests, as a JUnit extension the class registers
 * in a static field: a {@link BackupSandbox} with pre/post scripts, the loop mounts and servers the
 * class's {@code @BeforeAll} opens on it, and the agent simulator with the built package installed.
 * It closes what was opened last first (servers, then mounts, then the sandbox) after the class,
 * also when the set-up failed half way, so no class leaves a loop device mounted for the next.
 */
final class BackupVm implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final String name;
    private Cleanup opened;
    private BackupSandbox sandbox;
    private AgentSimulator agent;

    /** {@code name} starts the sandbox's dir name, to tell the classes' dirs apart. */
    BackupVm(String name) {
        this.name = name;
    }

    /** Skips the class unless root: loop mounts and fsfreeze need it, and every backup here freezes. */
    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        CiRequirement.requireRoot("loop mounts and fsfreeze need root");
        opened = new Cleanup();
        sandbox = opened.add(BackupSandbox.create(name));
        sandbox.prePostScripts();
    }

    BackupSandbox sandbox() {
        return sandbox;
    }

    LoopMount mount(LoopMount.FsType type) throws IOException {
        return opened.add(LoopMount.create(type));
    }

    /** A server the tests talk to (FaultProxy, HostSnapshotEmulator), closed before the mounts. */
    <T extends AutoCloseable> T keep(T server) {
        return opened.add(server);
    }

    /** Installs the built package as the agent does, in {@code <sandbox>/agent}. */
    AgentSimulator install(Map<String, String> environment) throws IOException {
        return install(sandbox.workDir().resolve("agent"), environment);
    }

    /** The same, with the agent's own dirs in {@code agentDir}, e.g. on a mount the backup freezes. */
    AgentSimulator install(Path agentDir, Map<String, String> environment) throws IOException {
        agent = new AgentSimulator(agentDir, sandbox.options(environment));
        agent.download(AgentSimulator.builtZip(), AgentSimulator.builtVersion());
        CommandResult install = agent.run(Operation.INSTALL);
        assertEquals(0, install.exitCode(), install.toString());
        return agent;
    }

    /**
     * After the class's own {@code @AfterEach}: the last backup's worker has ended (one left running
     * would freeze in the next test) and its script runs are forgotten, so each test sees only its own.
     */
    @Override
    public void afterEach(ExtensionContext context) throws IOException, InterruptedException {
        BackupSandbox.awaitNoWorker(agent.baseDir(), BackupSandbox.BACKUP_DONE);
        sandbox.clearScriptRuns();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (opened != null) {
            opened.close();
        }
    }
}

package io.vmsnapshot.e2e.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentSimulator.Operation;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.fixtures.Cleanup;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The VM a backup test class shares between its tests: a {@link BackupSandbox} with pre/post
 * scripts, the loop mounts and servers the class opens beside it, and the agent simulator with the
 * built package installed. Built in {@code @BeforeAll} and closed in {@code @AfterAll}; it closes
 * what it opened last first (servers, then mounts, then the sandbox), and a set-up that failed
 * half way releases what it had opened, so no class leaves a loop device mounted for the next.
 */
final class BackupVm implements AutoCloseable {
    private final Cleanup opened = new Cleanup();
    private final BackupSandbox sandbox;
    private AgentSimulator agent;

    private BackupVm(BackupSandbox sandbox) {
        this.sandbox = opened.add(sandbox);
    }

    /** Skips the class unless root: loop mounts and fsfreeze need it, and every backup here freezes. */
    static BackupVm create(String name) throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "loop mounts and fsfreeze need root");
        BackupVm vm = new BackupVm(BackupSandbox.create(name));
        try {
            vm.sandbox.prePostScripts();
        } catch (IOException | RuntimeException e) {
            vm.closeAfter(e);
            throw e;
        }
        return vm;
    }

    BackupSandbox sandbox() {
        return sandbox;
    }

    AgentSimulator agent() {
        return agent;
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
     * Between tests: the last backup's worker has ended (one left running would freeze in the next
     * test) and its script runs are forgotten, so each test sees only its own.
     */
    void awaitNoWorkerAndForgetScriptRuns() throws IOException, InterruptedException {
        BackupSandbox.awaitNoWorker(agent.baseDir(), BackupSandbox.BACKUP_DONE);
        sandbox.clearScriptRuns();
    }

    @Override
    public void close() throws Exception {
        opened.close();
    }

    private void closeAfter(Exception failure) {
        try {
            close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}

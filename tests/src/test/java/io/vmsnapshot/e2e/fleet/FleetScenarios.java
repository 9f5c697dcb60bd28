package io.vmsnapshot.e2e.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.e2e.CiRequirement;
import io.vmsnapshot.e2e.Await;
import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentSimulator.Operation;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.agent.LifecycleResult;
import io.vmsnapshot.e2e.agent.SettingsBuilder;
import io.vmsnapshot.e2e.fixtures.Cleanup;
import io.vmsnapshot.e2e.fixtures.RootOnlyDir;
import io.vmsnapshot.e2e.prepost.CustomerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built package on another system, driven by the agent simulator whose every command runs
 * inside a {@link GuestSystem} over the subclass's userland: the package installs, an enable's
 * backup ends in a terminal status, a dry-run with trivial scripts exits 0. Each test has its own
 * throw-away overlay, so one test's install or failure cannot help or break the next.
 *
 * <p>The backups freeze only {@link GuestSystem#FREEZE_TARGET}, a tmpfs of the guest's own: the
 * freeze helper starts, opens it and meets a FIFREEZE that fails (tmpfs cannot freeze; qemu-user
 * does not even pass the call on), which the handler must report like any freeze failure. No file
 * system of the machine is ever named. Everything else keeps the simulator's loopback defaults.
 */
abstract class FleetScenarios {
    private static final Set<String> TERMINAL = Set.of("success", "error");
    private static final int FREEZE_FAILED = 121;

    private final Cleanup cleanup = new Cleanup();
    protected GuestSystem guest;
    protected AgentSimulator agent;

    /** The userland to run in, made ready (built on first use on this machine). */
    abstract Userland userland();

    /** Whether the guest's setsid is util-linux 2.23's, without --fork. */
    abstract boolean oldSetsid();

    /** How long a backup may take in this guest: JVM starts under emulation are slow. */
    abstract Duration backupDone();

    /** What a test needs from the machine, beyond root and overlayfs; checked before anything starts. */
    void requireMachine() throws IOException {
    }

    @BeforeEach
    final void startTheGuest() throws Exception {
        CiRequirement.requireRoot("the fleet tests need root (debootstrap, mount namespaces, overlayfs, chroot)");
        CiRequirement.require(Files.readString(Path.of("/proc/filesystems")).contains("\toverlay"),
                "the kernel has no overlayfs (modprobe overlay)");
        requireMachine();
        Userland userland = userland();
        try {
            Path sandbox = cleanup.add(RootOnlyDir.create("fleet")).path();
            Path work = Path.of(System.getProperty("vmsnapshot.work", "target/e2e")).toAbsolutePath();
            guest = cleanup.add(GuestSystem.start(userland, work, sandbox, oldSetsid()));
            agent = new AgentSimulator(sandbox, AgentSimulator.Options.defaults()
                    .withCommandWrapper(guest::wrap)
                    .withEnvironment("VMSNAPSHOT_FREEZE_MOUNTS", GuestSystem.FREEZE_TARGET));
        } catch (Exception e) {
            cleanup.close();
            throw e;
        }
    }

    @AfterEach
    final void stopTheGuest() throws Exception {
        try {
            if (agent != null && agent.state() != AgentSimulator.HandlerState.NOT_INSTALLED) {
                // A worker still writing its registry and logs must not lose its files under it.
                Await.noWorkers(agent.baseDir(), Duration.ofSeconds(30));
            }
        } finally {
            cleanup.close();
        }
    }

    /** The fixture itself: the guest is the userland's machine, and its setsid is the one claimed. */
    @Test
    void theGuestRunsTheUserlandsMachine_withTheSetsidItClaims() throws Exception {
        GuestSystem.Result machine = guest.run(Path.of("/"), Map.of("PATH", "/usr/bin:/bin"),
                List.of("uname", "-m"), Duration.ofSeconds(60));
        GuestSystem.Result fork = guest.run(Path.of("/"), Map.of("PATH", "/usr/bin:/bin"),
                List.of("setsid", "--fork", "true"), Duration.ofSeconds(60));

        assertEquals(guest.userland().machine(), machine.stdout().strip(), machine.toString());
        if (oldSetsid()) {
            assertEquals(1, fork.exitCode(), fork.toString());
            assertTrue(fork.stderr().startsWith("setsid: unrecognized option '--fork'\n"), fork.toString());
        } else {
            assertEquals(0, fork.exitCode(), fork.toString());
        }
    }

    @Test
    void theUnpackedPackageInstalls() throws Exception {
        String version = AgentSimulator.builtVersion();
        agent.download(AgentSimulator.builtZip(), version);
        agent.writeSettings(version, 0, SettingsBuilder.snapshot().build());

        CommandResult install = agent.run(Operation.INSTALL);

        assertEquals(0, install.exitCode(), install.toString());
        assertTrue(agent.statusIfPresent(0).isEmpty(), "install writes no status: " + agent.statusIfPresent(0));
    }

    @Test
    void anEnable_runsTheBackupToATerminalStatus() throws Exception {
        LifecycleResult lifecycle = agent.installAndEnable(SettingsBuilder.snapshot().build());

        assertTrue(lifecycle.allSucceeded(), lifecycle.toString());
        AgentStatus status = Await.terminalStatus(agent, 0, backupDone());
        assertTrue(TERMINAL.contains(status.status()), status.toString());
        // The helper started, opened the mount and reported the failed FIFREEZE: upstream's retryable 121.
        assertEquals(FREEZE_FAILED, status.code(), status.toString());
        String expected = "cannot freeze " + GuestSystem.FREEZE_TARGET + ": " + freezeError();
        assertTrue(status.message().contains(expected), "'" + expected + "' in " + status);
    }

    @Test
    void aDryRunWithTrivialPreAndPostScripts_exitsZero() throws Exception {
        String version = AgentSimulator.builtVersion();
        agent.download(AgentSimulator.builtZip(), version);
        CommandResult install = agent.run(Operation.INSTALL);
        assertEquals(0, install.exitCode(), install.toString());
        CustomerConfig customer = new CustomerConfig(agent.configOverrideDir());
        customer.standard(true);

        GuestSystem.Result dryRun = guest.run(agent.baseDir(), agent.commandEnvironment(version, Map.of()),
                List.of("/bin/sh", "-c", "bin/handle.sh dry-run"), backupDone());

        assertEquals(0, dryRun.exitCode(), dryRun.toString());
        assertEquals(List.of("pre", "post"), customer.ran(), dryRun.toString());
    }

    /**
     * Why FIFREEZE on the guest's tmpfs fails there, as the helper reports it (strerror): which
     * also tells which helper ran, since an x86-64 helper runs natively even in an arm64 guest.
     */
    abstract String freezeError();
}

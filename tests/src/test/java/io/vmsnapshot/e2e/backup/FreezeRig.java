package io.vmsnapshot.e2e.backup;

import io.vmsnapshot.agent.HandlerPaths;
import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.Settings;
import io.vmsnapshot.e2e.agent.SettingsBuilder;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import io.vmsnapshot.e2e.storage.FaultProxy;
import io.vmsnapshot.freeze.FreezeEligibility;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the freeze tests install on their {@link BackupVm}: Azurite disks whose snapshot calls go
 * through a {@link FaultProxy} (so a test can hold the freeze window open), and the package with
 * only the test's loop mounts to freeze. The freeze record stays off the frozen mounts, in
 * {@code <sandbox>/run}, as /run (tmpfs) is on a VM.
 */
record FreezeRig(AzuriteDisks disks, FaultProxy proxy, Path runDir, AgentSimulator agent) {
    /** With the agent's own dirs in {@code agentDir}, e.g. on a mount the backup freezes. */
    static FreezeRig install(BackupVm vm, int dataDisks, Path agentDir, List<LoopMount> frozen) throws IOException {
        return install(vm, dataDisks, Optional.of(agentDir), frozen);
    }

    /** With the agent's dirs where {@link BackupVm#install(Map)} puts them. */
    static FreezeRig install(BackupVm vm, int dataDisks, List<LoopMount> frozen) throws IOException {
        return install(vm, dataDisks, Optional.empty(), frozen);
    }

    private static FreezeRig install(BackupVm vm, int dataDisks, Optional<Path> agentDir, List<LoopMount> frozen)
            throws IOException {
        AzuriteDisks disks = AzuriteDisks.create(dataDisks);
        FaultProxy proxy = vm.keep(FaultProxy.start(disks.azurite().blobEndpoint()));
        Path runDir = vm.sandbox().workDir().resolve("run");
        Map<String, String> environment = Map.of(
                FreezeEligibility.FREEZE_MOUNTS_ENV, frozen.stream().map(m -> m.mountPoint().toString())
                        .collect(Collectors.joining(":")),
                HandlerPaths.RUN_DIR_VARIABLE, runDir.toString());
        AgentSimulator agent = agentDir.isPresent() ? vm.install(agentDir.get(), environment) : vm.install(environment);
        return new FreezeRig(disks, proxy, runDir, agent);
    }

    /** A snapshot of the OS disk and the data disks {@code included}, its SAS URIs through the proxy. */
    Settings backup(List<Integer> included) {
        return SettingsBuilder.snapshot().includedDisks(included, true).blobSasUris(disks.sasUris(proxy::via)).build();
    }
}

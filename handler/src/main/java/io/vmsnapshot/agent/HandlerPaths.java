package io.vmsnapshot.agent;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where everything lives, resolved once from the package root and the environment. Production
 * defaults are fixed paths; each is overridable (README, "Overrides") so that tests and the demo run
 * in a sandbox.
 *
 * @param packageRoot the extension's base dir (where HandlerManifest.json and bin/ are)
 * @param agentDir    the agent's lib dir holding {@code <thumbprint>.crt/.prv}
 * @param configDir   the customer's config dir ({@code /etc/azure})
 * @param runDir      where the freeze record lives; tmpfs in production, so never frozen
 */
public record HandlerPaths(Path packageRoot, Path agentDir, Path configDir, Path runDir) {
    public static final String CONFIG_DIR_VARIABLE = "VMSNAPSHOT_CONFIG_DIR";
    public static final String AGENT_DIR_VARIABLE = "VMSNAPSHOT_AGENT_DIR";
    public static final String RUN_DIR_VARIABLE = "VMSNAPSHOT_RUN_DIR";

    public HandlerPaths {
        Objects.requireNonNull(packageRoot, "packageRoot");
        Objects.requireNonNull(agentDir, "agentDir");
        Objects.requireNonNull(configDir, "configDir");
        Objects.requireNonNull(runDir, "runDir");
    }

    /** The agent's lib dir is the parent of the extension dir unless overridden (docs/agent-contract.md §4). */
    public static HandlerPaths resolve(Path packageRoot, Map<String, String> env) {
        Path root = packageRoot.toAbsolutePath().normalize();
        Path agentDir = pathOr(env, AGENT_DIR_VARIABLE, root.getParent() != null ? root.getParent() : root);
        Path configDir = pathOr(env, CONFIG_DIR_VARIABLE, root.getFileSystem().getPath("/etc/azure"));
        Path runDir = pathOr(env, RUN_DIR_VARIABLE, root.getFileSystem().getPath("/run/vmsnapshot"));
        return new HandlerPaths(root, agentDir, configDir, runDir);
    }

    private static Path pathOr(Map<String, String> env, String variable, Path fallback) {
        String value = env.get(variable);
        return value == null || value.isBlank() ? fallback : fallback.getFileSystem().getPath(value);
    }

    public Path handlerEnvironmentFile() {
        return packageRoot.resolve("HandlerEnvironment.json");
    }

    /** The agent copies this file to the new version on update (docs/agent-contract.md §8). */
    public Path mostRecentSequenceFile() {
        return packageRoot.resolve("mrseq");
    }

    /** The handler's own state; removed by uninstall, carried over by update. */
    public Path stateDir() {
        return packageRoot.resolve("state");
    }

    public Path taskRegistryFile() {
        return stateDir().resolve("tasks.json");
    }

    public Path workerLockFile() {
        return stateDir().resolve("worker.lock");
    }

    /** Where the agent's status folder is when HandlerEnvironment.json cannot tell (it always is). */
    public Path fallbackStatusFolder() {
        return packageRoot.resolve("status");
    }

    public Path launcher() {
        return packageRoot.resolve("bin").resolve("handle.sh");
    }
}

package io.vmsnapshot.pluginhost;

import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a script is started. argv is {@code [interpreter, (its argument), script, params...]}, as the
 * kernel builds it for a {@code #!} script, with the interpreter {@link InterpreterCheck} checked
 * ({@code /bin/sh} for a script without {@code #!} or that its owner may not execute, as upstream
 * always did). The script is its own path, or the copy of its verified bytes
 * ({@link ScriptCopies}). Params are separate argv entries, never seen by a shell.
 *
 * <p>The environment is small and documented, nothing is inherited from the handler:
 * {@code PATH}, {@code HOME}, {@code VMSNAPSHOT_PHASE} ({@code pre}|{@code post}),
 * {@code VMSNAPSHOT_TASK_ID}, {@code VMSNAPSHOT_PLUGIN}, {@code VMSNAPSHOT_ATTEMPT} (1-based),
 * {@code VMSNAPSHOT_TIMEOUT_SECONDS} (this attempt's limit), {@code VMSNAPSHOT_SCRIPT_PATH} (the
 * path the config names, also when {@code $0} is a copy), plus the context's extra variables
 * (e.g. {@code VMSNAPSHOT_SNAPSHOT_OUTCOME} in the post phase), which cannot override ours.
 */
final class ScriptCommand {
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final String SHELL = "/bin/sh";
    static final String SCRIPT_PATH_VARIABLE = "VMSNAPSHOT_SCRIPT_PATH";
    private static final int CRLF_PROBE_BYTES = 4096;

    private ScriptCommand() {
    }

    static List<String> argv(List<String> interpreter, Path runs, List<String> params) {
        List<String> argv = new ArrayList<>(interpreter);
        argv.add(runs.toString());
        argv.addAll(params);
        return argv;
    }

    static Map<String, String> environment(ScriptPhase phase, ScriptContext context, String plugin, int attempt,
            long timeoutSeconds, int handlerUid, Path script) {
        Map<String, String> env = new HashMap<>(context.extraEnv());
        env.put("PATH", PATH);
        env.put("HOME", handlerUid == 0 ? "/root" : "/");
        env.put("VMSNAPSHOT_PHASE", phase.label());
        env.put("VMSNAPSHOT_TASK_ID", context.taskId());
        env.put("VMSNAPSHOT_PLUGIN", plugin);
        env.put("VMSNAPSHOT_ATTEMPT", Integer.toString(attempt));
        env.put("VMSNAPSHOT_TIMEOUT_SECONDS", Long.toString(timeoutSeconds));
        env.put(SCRIPT_PATH_VARIABLE, script.toString());
        return env;
    }

    /**
     * Why the script cannot run as written, if it obviously cannot: Windows line ends (the kernel
     * then looks for an interpreter called "/bin/sh" plus a carriage return, and sh reads "exit 0" plus
     * a carriage return as a bad number).
     * Said plainly instead of the exec's "No such file or directory".
     */
    static Optional<String> unrunnable(Path script, byte[] content) {
        int end = Math.min(content.length, CRLF_PROBE_BYTES);
        for (int i = 1; i < end; i++) {
            if (content[i] == '\n' && content[i - 1] == '\r') {
                return Optional.of(script + " has Windows line ends (CRLF); convert it with dos2unix or"
                        + " sed -i 's/\\r$//' " + script);
            }
        }
        return Optional.empty();
    }
}

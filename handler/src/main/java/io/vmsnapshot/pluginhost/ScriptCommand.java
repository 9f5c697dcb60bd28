package io.vmsnapshot.pluginhost;

import io.vmsnapshot.prepost.ScriptContext;
import io.vmsnapshot.prepost.ScriptPhase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a script is started. argv is {@code [script, params...]} when the script starts with
 * {@code #!} and its owner may execute it (the kernel honours the interpreter line); otherwise
 * {@code [/bin/sh, script, params...]}, as upstream always did. Params are separate argv entries,
 * never seen by a shell.
 *
 * <p>The environment is small and documented, nothing is inherited from the handler:
 * {@code PATH}, {@code HOME}, {@code VMSNAPSHOT_PHASE} ({@code pre}|{@code post}),
 * {@code VMSNAPSHOT_TASK_ID}, {@code VMSNAPSHOT_PLUGIN}, {@code VMSNAPSHOT_ATTEMPT} (1-based),
 * {@code VMSNAPSHOT_TIMEOUT_SECONDS} (this attempt's limit), plus the context's extra variables
 * (e.g. {@code VMSNAPSHOT_SNAPSHOT_OUTCOME} in the post phase), which cannot override ours.
 */
final class ScriptCommand {
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final String SHELL = "/bin/sh";
    private static final int CRLF_PROBE_BYTES = 4096;

    private ScriptCommand() {
    }

    static List<String> argv(PhaseScript script) {
        List<String> argv = new ArrayList<>();
        if (!directlyExecutable(script.location())) {
            argv.add(SHELL);
        }
        argv.add(script.location().toString());
        argv.addAll(script.params());
        return argv;
    }

    static Map<String, String> environment(ScriptPhase phase, ScriptContext context, String plugin, int attempt,
            long timeoutSeconds, int handlerUid) {
        Map<String, String> env = new HashMap<>(context.extraEnv());
        env.put("PATH", PATH);
        env.put("HOME", handlerUid == 0 ? "/root" : "/");
        env.put("VMSNAPSHOT_PHASE", phase.label());
        env.put("VMSNAPSHOT_TASK_ID", context.taskId());
        env.put("VMSNAPSHOT_PLUGIN", plugin);
        env.put("VMSNAPSHOT_ATTEMPT", Integer.toString(attempt));
        env.put("VMSNAPSHOT_TIMEOUT_SECONDS", Long.toString(timeoutSeconds));
        return env;
    }

    /**
     * Why the script cannot run as written, if it obviously cannot: Windows line ends (the kernel
     * then looks for an interpreter called "/bin/sh" plus a carriage return, and sh reads "exit 0" plus
     * a carriage return as a bad number).
     * Said plainly instead of the exec's "No such file or directory".
     */
    static Optional<String> unrunnable(Path script) {
        try (InputStream in = Files.newInputStream(script, LinkOption.NOFOLLOW_LINKS)) {
            byte[] head = in.readNBytes(CRLF_PROBE_BYTES);
            for (int i = 1; i < head.length; i++) {
                if (head[i] == '\n' && head[i - 1] == '\r') {
                    return Optional.of(script + " has Windows line ends (CRLF); convert it with dos2unix or"
                            + " sed -i 's/\\r$//' " + script);
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // sh will say what is wrong, in the script's output
        }
    }

    private static boolean directlyExecutable(Path script) {
        try (InputStream in = Files.newInputStream(script, LinkOption.NOFOLLOW_LINKS)) {
            byte[] magic = in.readNBytes(2);
            return magic.length == 2 && magic[0] == '#' && magic[1] == '!'
                    && Files.getPosixFilePermissions(script, LinkOption.NOFOLLOW_LINKS)
                            .contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (IOException e) {
            // Unreadable now: let sh report it, so the failure shows up in the script's output.
            return false;
        }
    }
}

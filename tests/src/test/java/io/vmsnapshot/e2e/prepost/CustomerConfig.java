package io.vmsnapshot.e2e.prepost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The customer's side of the framework in the handler's {@code VMSNAPSHOT_CONFIG_DIR} (the
 * sandbox's {@code /etc/azure}): {@code VMSnapshotPluginConfig.json} (600), the pre- and
 * post-scripts (700), optionally {@code VMSnapshotPluginHost.conf}. Every script this class writes
 * first appends its phase to {@link #ranLog()}, so a test can tell which scripts ran, and how often.
 */
public final class CustomerConfig {
    static final int NOBODY = 65534;
    static final String PLUGIN_CONFIG = "VMSnapshotPluginConfig.json";
    static final String HOST_CONFIG = "VMSnapshotPluginHost.conf";
    /** The packaged host config, as a customer copy would start. */
    static final String VALID_HOST_CONFIG = "[pre_post]\ntimeoutInSeconds: 1800\nnumberOfPlugins: 1\n"
            + "pluginName0: ScriptRunner\npluginPath0: /etc/azure\n"
            + "pluginConfigPath0: /etc/azure/VMSnapshotPluginConfig.json\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    public CustomerConfig(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path ranLog() {
        return dir.resolve("ran.log");
    }

    /** The phases that ran, one entry per script run, in order. */
    public List<String> ran() throws IOException {
        return Files.exists(ranLog()) ? Files.readAllLines(ranLog(), StandardCharsets.UTF_8) : List.of();
    }

    /** Removes everything, so the next case starts from an empty {@code /etc/azure}. */
    void clear() throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                deleteTree(entry);
            }
        }
    }

    /** A {@code #!/bin/sh} script (700) that records {@code phase} in the ran log, then runs {@code body}. */
    Path script(String relative, String phase, String body) throws IOException {
        return script(relative, phase, body, "/bin/sh");
    }

    /** The same with another {@code #!} interpreter. */
    Path script(String relative, String phase, String body, String interpreter) throws IOException {
        Path script = dir.resolve(relative);
        Files.createDirectories(script.getParent());
        Files.writeString(script, "#!" + interpreter + "\necho " + phase + " >> '" + ranLog() + "'\n" + body + "\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** An interpreter (0755) that hands the script to /bin/sh, as a virtualenv's python would to python. */
    Path interpreter(String relative) throws IOException {
        Path interpreter = dir.resolve(relative);
        Files.createDirectories(interpreter.getParent());
        Files.writeString(interpreter, "#!/bin/sh\nexec /bin/sh \"$@\"\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(interpreter, PosixFilePermissions.fromString("rwxr-xr-x"));
        return interpreter;
    }

    /**
     * Starts a process that holds the file open for writing until the file is gone (the next case's
     * {@link #clear()} removes it), and returns once the descriptor is open.
     */
    void holdOpenForWriting(Path file) throws IOException {
        Process holder = new ProcessBuilder("/bin/sh", "-c", "exec 3>>'" + file + "'; echo open; exec 1>&-;"
                + " while [ -e '" + file + "' ]; do sleep 0.1; done")
                .redirectErrorStream(true).start();
        String line = new String(holder.getInputStream().readNBytes(5), StandardCharsets.UTF_8);
        if (!line.equals("open\n")) {
            holder.destroyForcibly();
            throw new IOException("the writer did not open " + file + ": " + line);
        }
    }

    /**
     * Working pre.sh and post.sh and a plugin config naming them (timeout 10 s, no retries, freeze on),
     * after {@code change} edited the config's fields. Scripts written before keep their content.
     */
    Path standard(boolean continueOnFailure, Consumer<ObjectNode> change) throws IOException {
        Path pre = dir.resolve("pre.sh");
        Path post = dir.resolve("post.sh");
        if (!Files.exists(pre, LinkOption.NOFOLLOW_LINKS)) {
            script("pre.sh", "pre", "exit 0");
        }
        if (!Files.exists(post, LinkOption.NOFOLLOW_LINKS)) {
            script("post.sh", "post", "exit 0");
        }
        ObjectNode config = JSON.createObjectNode();
        config.put("pluginName", "ScriptRunner");
        config.put("preScriptLocation", pre.toString());
        config.put("postScriptLocation", post.toString());
        config.putArray("preScriptParams").add("--quiesce");
        config.putArray("postScriptParams").add("--resume");
        config.put("preScriptNoOfRetries", 0);
        config.put("postScriptNoOfRetries", 0);
        config.put("timeoutInSeconds", 10);
        config.put("continueBackupOnFailure", continueOnFailure);
        config.put("fsFreezeEnabled", true);
        change.accept(config);
        return pluginConfigText(config.toPrettyString());
    }

    public Path standard(boolean continueOnFailure) throws IOException {
        return standard(continueOnFailure, config -> { });
    }

    /** {@code VMSnapshotPluginConfig.json} with exactly this text, mode 600. */
    Path pluginConfigText(String text) throws IOException {
        return privateFile(PLUGIN_CONFIG, text);
    }

    /** {@code VMSnapshotPluginHost.conf} with exactly this text, mode 600. */
    Path hostConfig(String text) throws IOException {
        return privateFile(HOST_CONFIG, text);
    }

    Path privateFile(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    static void chmod(Path path, String mode) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    static void chown(Path path, int uid) throws IOException {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}

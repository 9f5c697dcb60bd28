package io.vmsnapshot.e2e.prepost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One way a customer gets each seed error (and each 304/310/311/313–318 code), made with real files
 * in the config dir: the code and seed name the handler must report, a fragment of the specific
 * detail (which file, which field, what is wrong), and when it is found — by the check before any
 * script runs, or while the pre or post phase runs.
 */
enum SeedCase {
    PRE_SCRIPT_FAILS(300, "Pre-ScriptExecutionFailed", "exit code 3", When.PRE_PHASE, (c, cont) -> {
        c.script("pre.sh", "pre", "echo 'database refused to quiesce' >&2\nexit 3");
        c.standard(cont);
    }),
    POST_SCRIPT_FAILS(301, "Post-ScriptExecutionFailed", "exit code 4", When.POST_PHASE, (c, cont) -> {
        c.script("post.sh", "post", "echo 'application did not resume' >&2\nexit 4");
        c.standard(cont);
    }),
    PRE_SCRIPT_NOT_FOUND(302, "Pre-ScriptNotFound", "missing-pre.sh does not exist", When.PRECHECK, (c, cont) ->
            c.standard(cont, config -> config.put("preScriptLocation", c.dir().resolve("missing-pre.sh").toString()))),
    POST_SCRIPT_NOT_FOUND(303, "Post-ScriptNotFound", "missing-post.sh does not exist", When.PRECHECK, (c, cont) ->
            c.standard(cont, config -> config.put("postScriptLocation", c.dir().resolve("missing-post.sh").toString()))),
    HOST_CONFIG_INVALID(304, "IncorrectJSONConfigFile", "numberOfPlugins 'many' is not a whole number",
            When.PRECHECK, (c, cont) -> {
                c.standard(cont);
                c.hostConfig(CustomerConfig.VALID_HOST_CONFIG.replace("numberOfPlugins: 1", "numberOfPlugins: many"));
            }),
    PLUGIN_CONFIG_NOT_JSON(305, "IncorrectJSONConfigFile", "not valid JSON", When.PRECHECK, (c, cont) -> {
        c.standard(cont);
        c.pluginConfigText("{\"pluginName\": \"ScriptRunner\", \"preScriptLocation\": ");
    }),
    PLUGIN_CONFIG_FIELD_OF_WRONG_TYPE(305, "IncorrectJSONConfigFile", "preScriptNoOfRetries", When.PRECHECK,
            (c, cont) -> c.standard(cont, config -> config.put("preScriptNoOfRetries", "two"))),
    PRE_SCRIPT_MODE_755(306, "InsufficientPermissionforPre-Script", "has mode 0755", When.PRECHECK, (c, cont) ->
            CustomerConfig.chmod(c.script("pre.sh", "pre", "exit 0"), "rwxr-xr-x")),
    PRE_SCRIPT_OWNED_BY_NOBODY(306, "InsufficientPermissionforPre-Script", "owned by uid 65534", When.PRECHECK,
            (c, cont) -> CustomerConfig.chown(c.script("pre.sh", "pre", "exit 0"), CustomerConfig.NOBODY)),
    // A root 700 script in a directory others can write runs (from a copy); its interpreter may not be there.
    PRE_SCRIPT_INTERPRETER_IN_GROUP_WRITABLE_DIR(306, "InsufficientPermissionforPre-Script",
            "venv/bin/python3 could be replaced by someone other than root", When.PRECHECK, (c, cont) -> {
                Path python = c.interpreter("venv/bin/python3");
                CustomerConfig.chmod(python.getParent(), "rwxrwxr-x");
                c.script("pre.sh", "pre", "exit 0", python.toString());
            }),
    PRE_SCRIPT_HELD_OPEN_FOR_WRITING(306, "InsufficientPermissionforPre-Script", "held open for writing",
            When.PRECHECK, (c, cont) -> c.holdOpenForWriting(c.script("pre.sh", "pre", "exit 0"))),
    PRE_SCRIPT_SYMLINK_OF_ANOTHER_OWNER(306, "InsufficientPermissionforPre-Script",
            "is a symbolic link owned by uid 65534", When.PRECHECK, (c, cont) -> {
                Path real = c.script("real-pre.sh", "pre", "exit 0");
                Path link = Files.createSymbolicLink(c.dir().resolve("pre.sh"), real);
                CustomerConfig.chown(link, CustomerConfig.NOBODY);
                c.standard(cont, config -> config.put("preScriptLocation", link.toString()));
            }),
    POST_SCRIPT_MODE_755(307, "InsufficientPermissionforPost-Script", "has mode 0755", When.PRECHECK, (c, cont) ->
            CustomerConfig.chmod(c.script("post.sh", "post", "exit 0"), "rwxr-xr-x")),
    POST_SCRIPT_OWNED_BY_NOBODY(307, "InsufficientPermissionforPost-Script", "owned by uid 65534", When.PRECHECK,
            (c, cont) -> CustomerConfig.chown(c.script("post.sh", "post", "exit 0"), CustomerConfig.NOBODY)),
    POST_SCRIPT_INTERPRETER_OF_ANOTHER_OWNER(307, "InsufficientPermissionforPost-Script",
            "venv/bin/python3 is owned by uid 65534", When.PRECHECK, (c, cont) -> {
                Path python = c.interpreter("venv/bin/python3");
                CustomerConfig.chown(python, CustomerConfig.NOBODY);
                c.script("post.sh", "post", "exit 0", python.toString());
            }),
    PRE_SCRIPT_TIMEOUT(308, "Pre-ScriptTimeout", "timed out", When.PRE_PHASE, (c, cont) -> {
        c.script("pre.sh", "pre", "sleep 30 &\necho $! > '" + c.dir().resolve("child.pid") + "'\nwait");
        c.standard(cont, config -> config.put("timeoutInSeconds", 1));
    }),
    POST_SCRIPT_TIMEOUT(309, "Post-ScriptTimeout", "timed out", When.POST_PHASE, (c, cont) -> {
        c.script("post.sh", "post", "sleep 30 &\necho $! > '" + c.dir().resolve("child.pid") + "'\nwait");
        c.standard(cont, config -> config.put("timeoutInSeconds", 1));
    }),
    // The host's own deadline (2 s) ends a script that keeps failing and retrying within its own timeout.
    HOST_PRE_TIMEOUT(310, "Pre-ScriptTimeout", "ScriptRunner", When.PRE_PHASE, (c, cont) -> {
        c.script("pre.sh", "pre", "sleep 0.6\nexit 1");
        c.standard(cont, config -> config.put("preScriptNoOfRetries", 20));
        c.hostConfig(CustomerConfig.VALID_HOST_CONFIG.replace("timeoutInSeconds: 1800", "timeoutInSeconds: 2"));
    }),
    HOST_POST_TIMEOUT(311, "Post-ScriptTimeout", "ScriptRunner", When.POST_PHASE, (c, cont) -> {
        c.script("post.sh", "post", "sleep 0.6\nexit 1");
        c.standard(cont, config -> config.put("postScriptNoOfRetries", 20));
        c.hostConfig(CustomerConfig.VALID_HOST_CONFIG.replace("timeoutInSeconds: 1800", "timeoutInSeconds: 2"));
    }),
    HOST_CONFIG_WRITABLE_BY_GROUP(314, "IncorrectJSONConfigFile", "has mode 0664", When.PRECHECK, (c, cont) -> {
        c.standard(cont);
        CustomerConfig.chmod(c.hostConfig(CustomerConfig.VALID_HOST_CONFIG), "rw-rw-r--");
    }),
    HOST_CONFIG_OWNED_BY_NOBODY(315, "IncorrectJSONConfigFile", "owned by uid 65534", When.PRECHECK, (c, cont) -> {
        c.standard(cont);
        CustomerConfig.chown(c.hostConfig(CustomerConfig.VALID_HOST_CONFIG), CustomerConfig.NOBODY);
    }),
    PLUGIN_CONFIG_NAMED_BY_HOST_CONFIG_MISSING(316, "IncorrectJSONConfigFile", "db-plugin.json: does not exist",
            When.PRECHECK, (c, cont) -> {
                c.standard(cont);
                c.hostConfig(CustomerConfig.VALID_HOST_CONFIG.replace("VMSnapshotPluginConfig.json", "db-plugin.json"));
            }),
    PLUGIN_CONFIG_WRITABLE_BY_OTHER(317, "IncorrectJSONConfigFile", "has mode 0646", When.PRECHECK, (c, cont) ->
            CustomerConfig.chmod(c.standard(cont), "rw-r--rw-")),
    PLUGIN_CONFIG_EXECUTABLE(317, "IncorrectJSONConfigFile", "has mode 0700", When.PRECHECK, (c, cont) ->
            CustomerConfig.chmod(c.standard(cont), "rwx------")),
    PLUGIN_CONFIG_SYMLINK_OF_ANOTHER_OWNER(317, "IncorrectJSONConfigFile", "is a symbolic link owned by uid 65534",
            When.PRECHECK, (c, cont) -> {
                Path real = c.standard(cont);
                Path managed = c.dir().resolve("managed.json");
                Files.move(real, managed);
                CustomerConfig.chown(Files.createSymbolicLink(real, managed), CustomerConfig.NOBODY);
            }),
    PLUGIN_CONFIG_OWNED_BY_NOBODY(318, "IncorrectJSONConfigFile", "owned by uid 65534", When.PRECHECK, (c, cont) ->
            CustomerConfig.chown(c.standard(cont), CustomerConfig.NOBODY));

    /** When the handler finds the problem. */
    enum When {
        /** Before any script runs: no script runs at all. */
        PRECHECK,
        /** While the pre-scripts run; the post-scripts still run. */
        PRE_PHASE,
        /** While the post-scripts run, after the pre-scripts succeeded. */
        POST_PHASE
    }

    @FunctionalInterface
    interface Setup {
        void apply(CustomerConfig config, boolean continueBackupOnFailure) throws IOException;
    }

    final int code;
    final String seedName;
    final String detail;
    final When when;
    private final Setup setup;

    SeedCase(int code, String seedName, String detail, When when, Setup setup) {
        this.code = code;
        this.seedName = seedName;
        this.detail = detail;
        this.when = when;
        this.setup = setup;
    }

    /** Writes the case's files; scripts not named by the case are the working defaults. */
    void apply(CustomerConfig config, boolean continueBackupOnFailure) throws IOException {
        setup.apply(config, continueBackupOnFailure);
        if (!Files.exists(config.dir().resolve(CustomerConfig.PLUGIN_CONFIG))) {
            config.standard(continueBackupOnFailure);
        }
    }

    /**
     * The seed's own text for this error, in English (a fragment) — what the customer looks up. The
     * host's deadline (310/311) has no seed row of its own; its message says which timeout to raise.
     */
    String seedText() {
        return code == 310 || code == 311 ? "plugin host's timeout" : SeedTexts.english(seedName);
    }
}

package io.vmsnapshot.e2e.database;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;

/** A {@code VMSnapshotPluginConfig.json} as a customer writes it, mode 600. */
record PluginConfig(Path preScript, List<String> preParams, Path postScript, List<String> postParams,
                    int timeoutInSeconds, boolean continueBackupOnFailure) {
    static final String FILE_NAME = "VMSnapshotPluginConfig.json";

    PluginConfig {
        Objects.requireNonNull(preScript, "preScript");
        Objects.requireNonNull(postScript, "postScript");
        preParams = List.copyOf(preParams);
        postParams = List.copyOf(postParams);
    }

    /** The same script and params for both phases, as the samples are meant to be configured. */
    static PluginConfig both(Path script, List<String> params, int timeoutInSeconds) {
        return new PluginConfig(script, params, script, params, timeoutInSeconds, true);
    }

    PluginConfig withPre(Path script, List<String> params) {
        return new PluginConfig(script, params, postScript, postParams, timeoutInSeconds, continueBackupOnFailure);
    }

    PluginConfig withPost(Path script, List<String> params) {
        return new PluginConfig(preScript, preParams, script, params, timeoutInSeconds, continueBackupOnFailure);
    }

    void writeInto(Path configDir) throws IOException {
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("pluginName", "ScriptRunner");
        json.put("preScriptLocation", preScript.toString());
        json.put("postScriptLocation", postScript.toString());
        ArrayNode pre = json.putArray("preScriptParams");
        preParams.forEach(pre::add);
        ArrayNode post = json.putArray("postScriptParams");
        postParams.forEach(post::add);
        json.put("preScriptNoOfRetries", 0);
        json.put("postScriptNoOfRetries", 0);
        json.put("timeoutInSeconds", timeoutInSeconds);
        json.put("continueBackupOnFailure", continueBackupOnFailure);
        json.put("fsFreezeEnabled", true);
        Path file = configDir.resolve(FILE_NAME);
        Files.writeString(file, json.toPrettyString(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}

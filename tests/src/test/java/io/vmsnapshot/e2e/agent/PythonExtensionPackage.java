package io.vmsnapshot.e2e.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A stand-in for the Python extension's package (Azure/azure-linux-extensions VMBackup), which the
 * agent updates from on a real VM: its manifest (every command {@code main/handle.sh <verb>}, no
 * {@code updateMode}), its entry point {@code main/handle.py}, and a {@code main/handle.sh} that leaves
 * in its version directory exactly the state upstream's leaves, without taking any backup:
 * <ul>
 *   <li>{@code install}, {@code disable}, {@code uninstall}, {@code update} only exit 0 (upstream's
 *       handle.sh never starts Python for them);</li>
 *   <li>{@code enable} exits at once when {@code mrseq} holds the sequence number; otherwise it writes
 *       {@code mrseq} first, renames the older {@code N.settings} and {@code N.status} to {@code N_settings}
 *       and {@code N_status} ({@code backup_settings_status_file}), writes the task id of the request into
 *       {@code task_identity_FD76C85E-406F-4CFA-8EB0-CF18B123365C}, and the final status through
 *       {@code status/tempStatusFile.status} (a copy is left there, as after a crash between its write
 *       and its rename).</li>
 * </ul>
 */
public final class PythonExtensionPackage {
    /** A version upstream shipped. */
    public static final String VERSION = "1.0.9225.0";
    /** The message of the stand-in's final status: a status of ours never says exactly this. */
    public static final String FINAL_MESSAGE = "Enable Succeeded";

    private static final String MANIFEST = """
            [
                {
                    "handlerManifest": {
                        "disableCommand": "main/handle.sh disable",
                        "enableCommand": "main/handle.sh enable",
                        "installCommand": "main/handle.sh install",
                        "rebootAfterInstall": false,
                        "reportHeartbeat": false,
                        "uninstallCommand": "main/handle.sh uninstall",
                        "updateCommand": "main/handle.sh update"
                    },
                    "name": "VMSnapshotLinux",
                    "version": "1.0.9225.0"
                }
            ]
            """;

    private static final String HANDLE_SH = """
            #!/bin/sh
            [ "$1" = enable ] || exit 0
            seq="$ConfigSequenceNumber"
            [ "$(cat mrseq 2>/dev/null)" = "$seq" ] && exit 0
            printf '%s' "$seq" > mrseq
            for f in config/*.settings status/*.status; do
                case "$f" in config/"$seq".settings|status/"$seq".status|*'*'*) continue ;; esac
                mv "$f" "$(printf '%s' "$f" | sed 's/\\./_/')"
            done
            sed -n 's/.*"taskId": *"\\([^"]*\\)".*/\\1/p' "config/$seq.settings" | tr -d '\\n' \\
                > task_identity_FD76C85E-406F-4CFA-8EB0-CF18B123365C
            cat > status/tempStatusFile.status <<EOF
            [{"version": "1.0.9225.0", "timestampUTC": "$(date -u +%Y-%m-%dT%H:%M:%SZ)", "status": {"name": "VMSnapshotLinux", "operation": "Enable", "status": "success", "code": 1, "formattedMessage": {"lang": "en-US", "message": "Enable Succeeded"}, "substatus": []}}]
            EOF
            cp status/tempStatusFile.status "status/$seq.status"
            """;

    private PythonExtensionPackage() {
    }

    /** Writes the package to {@code zip} and returns it. */
    public static Path write(Path zip) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("HandlerManifest.json", MANIFEST);
        entries.put("main/handle.sh", HANDLE_SH);
        entries.put("main/handle.py", "# the Python extension's entry point; the stand-in's handle.sh does its part\n");
        entries.put("main/tempPlugin/VMSnapshotScriptPluginConfig.json", """
                {
                    "pluginName" : "ScriptRunner",
                    "preScriptLocation" : "",
                    "postScriptLocation" : "",
                    "preScriptParams" : ["", ""],
                    "postScriptParams" : ["", ""],
                    "preScriptNoOfRetries" : 0,
                    "postScriptNoOfRetries" : 0,
                    "timeoutInSeconds" : 30,
                    "continueBackupOnFailure" : true,
                    "fsFreezeEnabled" : true
                }
                """);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return zip;
    }
}

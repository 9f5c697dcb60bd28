package io.vmsnapshot.freeze;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The keys of vmbackup.conf's {@code [SnapshotThread]} that upstream read and this extension does not
 * honour, each with why: {@code check} names every one present, so nobody believes a setting acts
 * that does not. Several are upstream's own bookkeeping, written into the file by upstream itself
 * ({@code seqsnapshot = 1} after a failed parallel snapshot), so a VM can have them without its
 * owner ever writing one.
 */
final class VmBackupKeys {
    /** The keys {@link VmBackupConf} honours, lower-cased. */
    static final Set<String> HONOURED = Set.of("mountstoskip", "timeout", "safefreezewaitinseconds", "snapshotmethod",
            VmBackupConf.UPLOAD_KEY);

    private static final String LOGGING = "the extension log is always written (the status points to it, and"
            + " scripts' output goes there); nothing is written to a frozen file system (lines logged during the"
            + " freeze are held in memory until the thaw), and no events are sent to the agent";
    private static final String SIZE = "the used disk size is not computed (the status says"
            + " isSizeComputationFailed, as upstream when its computation failed)";

    private static final Map<String, String> IGNORED = Map.of(
            "seqsnapshot", "guest snapshots of the disks always run side by side, a bounded number at a time and each"
                    + " disk on its own; upstream's sequential mode was the fall-back of its own parallel code, which"
                    + " upstream wrote here itself (seqsnapshot = 1) after such a failure",
            "isanysnapshotfailed", "upstream's own bookkeeping",
            "writelog", LOGGING,
            "loggingoff", LOGGING,
            "disable_logging", LOGGING,
            "async_event_logging", LOGGING,
            "onlylocalfilesystems", SIZE,
            "sudo_off", SIZE);

    private VmBackupKeys() {
    }

    /** One sentence per key present that is not honoured, and for blob uploads turned off, in key order. */
    static List<String> notes(Map<String, String> section) {
        List<String> notes = new ArrayList<>();
        new TreeMap<>(section).forEach((key, value) -> {
            if (key.equals(VmBackupConf.UPLOAD_KEY) && !VmBackupConf.uploads(value)) {
                notes.add(VmBackupConf.FILE_NAME + ": UploadStatusAndLog = " + value + ": the status and logs blobs are"
                        + " not uploaded, as upstream did not; the agent's status file still carries every outcome");
            }
            if (HONOURED.contains(key)) {
                return;
            }
            String why = IGNORED.getOrDefault(key, "this extension does not know this key (check its spelling)");
            notes.add(VmBackupConf.FILE_NAME + ": " + key + " = " + value + " is ignored: " + why);
        });
        return notes;
    }
}

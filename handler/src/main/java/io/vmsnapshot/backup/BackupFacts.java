package io.vmsnapshot.backup;

import io.vmsnapshot.error.ErrorCode;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened in one backup, as the result policy needs it.
 *
 * @param precheckError   a plugin host check error (302–307, 312–318): no script ran
 * @param quiesced        at least one pre-script ran and every pre-script succeeded: the only way
 *                        the application was quiesced (post-scripts alone never are)
 * @param preError        the first pre-script error by plugin order (300, 308, 310)
 * @param postError       the first post-script error (301, 309, 311)
 * @param singleDisk      only the OS disk is in the snapshot request: the seed's exception
 * @param freezeError     121–124 when the freeze failed
 * @param snapshotTaken   at least one disk's snapshot succeeded
 * @param snapshotError   the snapshot's error (76, 85, 173, 556...) when any disk failed
 * @param allDisksFailed  every disk's snapshot failed (or none was attempted)
 */
public record BackupFacts(Optional<ErrorCode> precheckError, boolean quiesced, Optional<ErrorCode> preError,
                          Optional<ErrorCode> postError, boolean continueBackupOnFailure, boolean singleDisk,
                          FreezeState freeze, Optional<ErrorCode> freezeError, boolean snapshotTaken,
                          Optional<ErrorCode> snapshotError, boolean allDisksFailed) {
    public BackupFacts {
        Objects.requireNonNull(precheckError, "precheckError");
        Objects.requireNonNull(preError, "preError");
        Objects.requireNonNull(postError, "postError");
        Objects.requireNonNull(freeze, "freeze");
        Objects.requireNonNull(freezeError, "freezeError");
        Objects.requireNonNull(snapshotError, "snapshotError");
    }
}

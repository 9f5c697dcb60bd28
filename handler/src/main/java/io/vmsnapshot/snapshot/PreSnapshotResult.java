package io.vmsnapshot.snapshot;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The host's answer to PreSnapshot.
 *
 * @param statusCode   HTTP status, or upstream's pseudo codes: 555 no answer, 556 HTTP 500 that is
 *                     not a JSON error (Backup Host Service down), 557 2xx with an empty body,
 *                     558 unreadable answer
 * @param responseTime the host's clock, to tell whether the command arrived too late without
 *                     trusting the VM's clock
 * @param isOsDiskADEEncrypted    ADE: from the host, passed back in DoSnapshot's settings
 * @param areDataDisksADEEncrypted ADE: likewise
 * @param diskEncryptionSettings  ADE: JSON text, passed back in DoSnapshot's snapshotMetadata
 */
public record PreSnapshotResult(
        int statusCode,
        Optional<Instant> responseTime,
        Optional<Boolean> isOsDiskADEEncrypted,
        Optional<Boolean> areDataDisksADEEncrypted,
        Optional<String> diskEncryptionSettings) {

    public PreSnapshotResult {
        Objects.requireNonNull(responseTime, "responseTime");
        Objects.requireNonNull(isOsDiskADEEncrypted, "isOsDiskADEEncrypted");
        Objects.requireNonNull(areDataDisksADEEncrypted, "areDataDisksADEEncrypted");
        Objects.requireNonNull(diskEncryptionSettings, "diskEncryptionSettings");
    }

    static PreSnapshotResult of(int statusCode) {
        return new PreSnapshotResult(statusCode, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The host will take the snapshots (upstream: 200 or 201 with a body). */
    public boolean accepted() {
        return statusCode == 200 || statusCode == 201;
    }

    /** Encryption settings are secrets of the VM: not printed. */
    @Override
    public String toString() {
        return "PreSnapshotResult[statusCode=" + statusCode + ", responseTime=" + responseTime
                + ", isOsDiskADEEncrypted=" + isOsDiskADEEncrypted + ", areDataDisksADEEncrypted=" + areDataDisksADEEncrypted
                + ", diskEncryptionSettings=" + diskEncryptionSettings.map(s -> "REDACTED") + "]";
    }
}

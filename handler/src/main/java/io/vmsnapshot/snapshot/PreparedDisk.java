package io.vmsnapshot.snapshot;

import java.util.Objects;
import java.util.Optional;

/**
 * One blob as {@link GuestSnapshotter} prepared it before the freeze: the encryption settings to
 * copy onto its snapshot (ADE), or the failed read that already decided its result.
 */
record PreparedDisk(String sasUri, Optional<String> encryptionSettings, Optional<DiskResult> failure) {
    PreparedDisk {
        Objects.requireNonNull(sasUri, "sasUri");
        Objects.requireNonNull(encryptionSettings, "encryptionSettings");
        Objects.requireNonNull(failure, "failure");
    }

    static PreparedDisk plain(String sasUri) {
        return new PreparedDisk(sasUri, Optional.empty(), Optional.empty());
    }

    static PreparedDisk failed(String sasUri, DiskResult result) {
        return new PreparedDisk(sasUri, Optional.empty(), Optional.of(result));
    }

    /** Neither the SAS token nor the encryption settings: both are secrets. */
    @Override
    public String toString() {
        return "PreparedDisk[blob=" + BlobUris.withoutQuery(sasUri) + ", encryptionSettings="
                + encryptionSettings.map(s -> "REDACTED").orElse("none") + ", failed=" + failure.isPresent() + "]";
    }
}

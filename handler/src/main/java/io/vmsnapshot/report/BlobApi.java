package io.vmsnapshot.report;

/** The Blob service REST version our requests state (the SAS's own {@code sv} governs the signature). */
final class BlobApi {
    static final String VERSION = "2021-08-06";

    private BlobApi() {
    }
}

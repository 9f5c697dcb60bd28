package io.vmsnapshot.freeze;

/**
 * What the status says of the backed-up file systems' used space ({@code storageDetails}).
 *
 * @param bytes  the sum, in bytes
 * @param failed whether some of it could not be measured or attributed to a disk of the request: the
 *               service then knows {@code bytes} is a best effort ({@code isSizeComputationFailed})
 */
public record UsedSize(long bytes, boolean failed) {
    /** Nothing measured, as every status said before this was computed. */
    public static final UsedSize UNKNOWN = new UsedSize(0, true);

    public UsedSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
    }
}

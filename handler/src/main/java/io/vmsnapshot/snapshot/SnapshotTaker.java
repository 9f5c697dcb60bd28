package io.vmsnapshot.snapshot;

/**
 * The snapshot step as the backup sees it, in two halves so that the freeze window holds nothing
 * but the snapshot calls: {@link #prepare} runs before the freeze (host PreSnapshot, the choice of
 * creator, ADE encryption-settings reads, opening the connections), {@link PreparedSnapshot#take}
 * inside it. {@link Snapshotter} is the production implementation; the seam lets the orchestration
 * be tested without HTTP.
 */
@FunctionalInterface
public interface SnapshotTaker {
    /**
     * Everything that need not wait for the freeze. Never throws for a storage or host fault: a
     * failed PreSnapshot picks the guest (or leaves the host its DoSnapshot), a failed encryption
     * read fails that disk when the snapshots are taken.
     */
    PreparedSnapshot prepare(SnapshotRequest request);
}

package io.vmsnapshot.snapshot;

import io.vmsnapshot.error.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots the disks' blobs from inside the VM: {@code PUT <SAS URI>&comp=snapshot} per blob, with
 * the backup metadata as {@code x-ms-meta-*} headers and no {@code x-ms-version} (the SAS's
 * {@code sv} decides, as upstream; Azurite accepts it too). Disks run in parallel up to
 * {@link RetryPolicy#maxParallel()}; throttling, 5xx and network faults are retried with jittered
 * exponential backoff until the deadline - the freeze budget - and never after it.
 */
public final class GuestSnapshotter {
    private static final Logger LOG = LoggerFactory.getLogger(GuestSnapshotter.class);
    private static final String ENCRYPTION_HEADER = "x-ms-meta-DiskEncryptionSettings";
    /** Upstream's version for the metadata read; the snapshot itself sends none (the SAS's sv decides). */
    private static final String METADATA_VERSION = "2018-03-28";

    private final HttpClient http;
    private final Clock clock;
    private final RetryPolicy policy;
    private final RetryingCaller caller;
    private final ParallelDisks parallel;

    public GuestSnapshotter(HttpClient http, Clock clock) {
        this(http, clock, Sleeper.SYSTEM, RetryPolicy.DEFAULT, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param jitter values in [0, 1); called from several threads */
    public GuestSnapshotter(HttpClient http, Clock clock, Sleeper sleeper, RetryPolicy policy, DoubleSupplier jitter) {
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.caller = new RetryingCaller(http, clock, sleeper, policy, jitter);
        this.parallel = new ParallelDisks(clock, policy);
    }

    /**
     * Prepares and snapshots in one go, for callers with no freeze window to keep short: the
     * encryption settings are read (if asked) just before the snapshots, nothing is warmed up.
     *
     * @param sasUris       the blobs, in report order
     * @param metadata      sent on every snapshot
     * @param readEncryptionSettings copy each blob's {@code DiskEncryptionSettings} metadata onto its
     *                      snapshot (ADE VMs: a snapshot with explicit metadata does not inherit the blob's)
     * @param deadline      no call starts, and no retry waits, past this instant
     */
    public SnapshotOutcome snapshot(List<String> sasUris, List<MetadataEntry> metadata, boolean readEncryptionSettings, Instant deadline) {
        List<PreparedDisk> disks = readEncryptionSettings ? prepare(sasUris, true, deadline)
                : sasUris.stream().map(PreparedDisk::plain).toList();
        return snapshot(disks, metadata, deadline);
    }

    /**
     * Before the freeze, one {@code GET <SAS URI>&comp=metadata} per blob, in parallel as the
     * snapshots will run. On an ADE VM it reads the blob's {@code DiskEncryptionSettings} (with
     * retries; a disk whose read fails is reported failed by {@link #snapshot(List, List, Instant)}).
     * Otherwise the answer does not matter: the call only resolves the blob's host and leaves a
     * connection open (TLS done) for its snapshot, which then starts at once.
     */
    List<PreparedDisk> prepare(List<String> sasUris, boolean readEncryptionSettings, Instant deadline) {
        if (sasUris.isEmpty()) {
            return List.of();
        }
        Instant start = clock.instant();
        List<PreparedDisk> disks = parallel.run(sasUris.size(), deadline, "the time allowed before the freeze",
                index -> prepareDisk(index, sasUris.get(index), readEncryptionSettings, deadline),
                (index, why, errorMessage) -> readEncryptionSettings
                        ? PreparedDisk.failed(sasUris.get(index), DiskResult.failed(index, sasUris.get(index),
                                "reading its DiskEncryptionSettings: " + why, errorMessage, 500))
                        : PreparedDisk.plain(sasUris.get(index)));
        LOG.info("snapshot.guest.prepared disks={} encryptionSettingsRead={} unreadable={} durationMs={}", disks.size(),
                readEncryptionSettings, disks.stream().filter(d -> d.failure().isPresent()).count(),
                Duration.between(start, clock.instant()).toMillis());
        return disks;
    }

    /**
     * Inside the window: {@code PUT <SAS URI>&comp=snapshot} per prepared disk, nothing else.
     *
     * @param disks    from {@link #prepare}, in report order
     * @param metadata sent on every snapshot
     * @param deadline no call starts, and no retry waits, past this instant
     */
    SnapshotOutcome snapshot(List<PreparedDisk> disks, List<MetadataEntry> metadata, Instant deadline) {
        Instant start = clock.instant();
        SnapshotTelemetry telemetry = SnapshotTelemetry.NONE.withCreator(SnapshotCreator.GUEST);
        if (disks.isEmpty()) {
            return new SnapshotOutcome(List.of(), SnapshotCreator.GUEST, Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK),
                    Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK),
                    "The settings name no disk blobs (protected objectStr blobSASUri is empty), so the extension cannot"
                            + " snapshot any disk itself; the host snapshot was not used or not available.",
                    telemetry.withTimeTaken(Duration.ZERO));
        }
        LOG.info("snapshot.guest.start disks={} parallel={} budgetMs={}", disks.size(), parallel.workers(disks.size()),
                Duration.between(start, deadline).toMillis());
        List<DiskResult> results = parallel.run(disks.size(), deadline, "the freeze budget",
                index -> disks.get(index).failure().orElseGet(() -> snapshotDisk(index, disks.get(index), metadata, deadline)),
                (index, why, errorMessage) -> DiskResult.failed(index, disks.get(index).sasUri(), why, errorMessage, 500));
        Duration taken = Duration.between(start, clock.instant());

        List<SnapshotInfo> infos = results.stream().map(DiskResult::info).collect(Collectors.toList());
        SnapshotErrors.Verdict verdict = SnapshotErrors.judge(infos, Optional.empty(), Optional.empty());
        String detail = results.stream().filter(r -> !r.info().isSuccessful()).map(DiskResult::failure)
                .collect(Collectors.joining("; "));
        if (!detail.isEmpty()) {
            detail = "Snapshot failed for " + infos.stream().filter(i -> !i.isSuccessful()).count() + " of "
                    + infos.size() + " disks: " + detail + ".";
        }
        LOG.info("snapshot.guest.end disks={} succeeded={} error={} durationMs={}", infos.size(),
                infos.stream().filter(SnapshotInfo::isSuccessful).count(),
                verdict.error().map(e -> String.valueOf(e.code())).orElse("none"), taken.toMillis());
        return new SnapshotOutcome(infos, SnapshotCreator.GUEST, verdict.error(), verdict.health(), detail,
                telemetry.withTimeTaken(taken));
    }

    private PreparedDisk prepareDisk(int index, String sasUri, boolean readEncryption, Instant deadline) {
        URI metadataUri;
        try {
            metadataUri = URI.create(BlobUris.withParameter(sasUri, "comp=metadata"));
        } catch (IllegalArgumentException e) {
            // The snapshot call reports the invalid URI, as it would without this step.
            return PreparedDisk.plain(sasUri);
        }
        if (!readEncryption) {
            warmUp(index, metadataUri, deadline);
            return PreparedDisk.plain(sasUri);
        }
        Attempts read = caller.send(BlobUris.describeDisk(index, sasUri), deadline, timeout -> metadataRequest(metadataUri, timeout));
        if (!read.succeeded()) {
            return PreparedDisk.failed(sasUri, DiskResult.failed(index, sasUri, "reading its DiskEncryptionSettings: "
                    + read.describe(), read.errorMessage(sasUri), read.statusCode()));
        }
        return new PreparedDisk(sasUri, read.response().headers().firstValue(ENCRYPTION_HEADER), Optional.empty());
    }

    /**
     * One try, any answer welcome (even a 403 leaves the connection open for the snapshot); what
     * came back is logged only when nothing did, since the snapshot will then open its own.
     */
    private void warmUp(int index, URI metadataUri, Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.toMillis() < 1) {
            return;
        }
        Duration timeout = left.compareTo(policy.attemptTimeout()) < 0 ? left : policy.attemptTimeout();
        try {
            http.send(metadataRequest(metadataUri, timeout), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            LOG.info("snapshot.guest.warm-up-unanswered disk={} error={}", index + 1, e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static HttpRequest metadataRequest(URI metadataUri, Duration timeout) {
        return HttpRequest.newBuilder(metadataUri).timeout(timeout).header("x-ms-version", METADATA_VERSION).GET().build();
    }

    private DiskResult snapshotDisk(int index, PreparedDisk prepared, List<MetadataEntry> metadata, Instant deadline) {
        String sasUri = prepared.sasUri();
        String disk = BlobUris.describeDisk(index, sasUri);
        URI snapshotUri;
        try {
            snapshotUri = URI.create(BlobUris.withParameter(sasUri, "comp=snapshot"));
        } catch (IllegalArgumentException e) {
            return DiskResult.failed(index, sasUri, "its SAS URI is not a valid URL", "invalid SAS URI", 400);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (MetadataEntry entry : metadata) {
            headers.put("x-ms-meta-" + entry.key(), entry.value());
        }
        prepared.encryptionSettings().ifPresent(v -> headers.put(ENCRYPTION_HEADER, v));
        Attempts put;
        try {
            put = caller.send(disk, deadline, timeout -> {
                HttpRequest.Builder request = HttpRequest.newBuilder(snapshotUri).timeout(timeout)
                        .PUT(HttpRequest.BodyPublishers.noBody());
                headers.forEach(request::header);
                return request.build();
            });
        } catch (IllegalArgumentException e) {
            return DiskResult.failed(index, sasUri, "a backupMetadata key or value cannot be sent as an HTTP header ("
                    + e.getMessage() + ")", "invalid metadata header", 400);
        }
        if (!put.succeeded()) {
            return DiskResult.failed(index, sasUri, put.describe(), put.errorMessage(sasUri), put.statusCode());
        }
        Optional<String> timestamp = put.response().headers().firstValue("x-ms-snapshot");
        if (timestamp.isEmpty()) {
            return DiskResult.failed(index, sasUri, "storage answered " + put.response().statusCode()
                    + " without an x-ms-snapshot header", "no x-ms-snapshot header", put.statusCode());
        }
        String snapshot = BlobUris.withoutQuery(sasUri) + "?snapshot=" + timestamp.get();
        LOG.info("snapshot.guest.disk disk={} attempts={} snapshot={}", index + 1, put.attempts(), timestamp.get());
        return new DiskResult(SnapshotInfo.succeeded(snapshot, put.statusCode()), "");
    }
}

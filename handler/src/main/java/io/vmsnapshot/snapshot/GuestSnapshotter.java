package io.vmsnapshot.snapshot;

import io.vmsnapshot.error.ErrorCode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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

    private final Clock clock;
    private final RetryPolicy policy;
    private final RetryingCaller caller;

    public GuestSnapshotter(HttpClient http, Clock clock) {
        this(http, clock, Sleeper.SYSTEM, RetryPolicy.DEFAULT, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param jitter values in [0, 1); called from several threads */
    public GuestSnapshotter(HttpClient http, Clock clock, Sleeper sleeper, RetryPolicy policy, DoubleSupplier jitter) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.caller = new RetryingCaller(http, clock, sleeper, policy, jitter);
    }

    /**
     * @param sasUris       the blobs, in report order
     * @param metadata      sent on every snapshot
     * @param readEncryptionSettings copy each blob's {@code DiskEncryptionSettings} metadata onto its
     *                      snapshot (ADE VMs: a snapshot with explicit metadata does not inherit the blob's)
     * @param deadline      no call starts, and no retry waits, past this instant
     */
    public SnapshotOutcome snapshot(List<String> sasUris, List<MetadataEntry> metadata, boolean readEncryptionSettings, Instant deadline) {
        Instant start = clock.instant();
        Map<String, String> telemetry = new LinkedHashMap<>();
        telemetry.put("snapshotCreator", SnapshotCreator.GUEST.telemetryName());
        if (sasUris.isEmpty()) {
            telemetry.put("snapshotTimeTaken", Telemetry.duration(Duration.ZERO));
            return new SnapshotOutcome(List.of(), SnapshotCreator.GUEST, Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK),
                    Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK),
                    "The settings name no disk blobs (protected objectStr blobSASUri is empty), so the extension cannot"
                            + " snapshot any disk itself; the host snapshot was not used or not available.",
                    telemetry);
        }
        int workers = Math.min(policy.maxParallel(), sasUris.size());
        LOG.info("snapshot.guest.start disks={} parallel={} budgetMs={}", sasUris.size(), workers,
                Duration.between(start, deadline).toMillis());
        List<DiskResult> results = runAll(sasUris, metadata, readEncryptionSettings, deadline, workers);
        Duration taken = Duration.between(start, clock.instant());
        telemetry.put("snapshotTimeTaken", Telemetry.duration(taken));

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
        return new SnapshotOutcome(infos, SnapshotCreator.GUEST, verdict.error(), verdict.health(), detail, telemetry);
    }

    private List<DiskResult> runAll(List<String> sasUris, List<MetadataEntry> metadata, boolean readEncryption,
                                    Instant deadline, int workers) {
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "snapshot-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<DiskResult>> futures = new ArrayList<>();
            for (int i = 0; i < sasUris.size(); i++) {
                int index = i;
                futures.add(pool.submit(() -> snapshotDisk(index, sasUris.get(index), metadata, readEncryption, deadline)));
            }
            List<DiskResult> results = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                results.add(await(futures.get(i), i, sasUris.get(i), deadline));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every call is bounded by the deadline; the extra attempt timeout only guards a stuck call. */
    private DiskResult await(Future<DiskResult> future, int index, String sasUri, Instant deadline) {
        long waitMs = Math.max(0, Duration.between(clock.instant(), deadline).toMillis()) + policy.attemptTimeout().toMillis();
        try {
            return future.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return DiskResult.failed(index, sasUri, "no answer before the freeze budget ran out", "timed out", 500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return DiskResult.failed(index, sasUri, "interrupted", "interrupted", 500);
        } catch (ExecutionException e) {
            // A bug in this class, not a storage fault: report it on the disk rather than lose the others.
            String what = e.getCause().getClass().getSimpleName();
            return DiskResult.failed(index, sasUri, "internal error " + what, what, 500);
        }
    }

    private DiskResult snapshotDisk(int index, String sasUri, List<MetadataEntry> metadata, boolean readEncryption, Instant deadline) {
        String disk = BlobUris.describeDisk(index, sasUri);
        URI snapshotUri;
        URI metadataUri;
        try {
            snapshotUri = URI.create(BlobUris.withParameter(sasUri, "comp=snapshot"));
            metadataUri = URI.create(BlobUris.withParameter(sasUri, "comp=metadata"));
        } catch (IllegalArgumentException e) {
            return DiskResult.failed(index, sasUri, "its SAS URI is not a valid URL", "invalid SAS URI", 400);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (MetadataEntry entry : metadata) {
            headers.put("x-ms-meta-" + entry.key(), entry.value());
        }
        if (readEncryption) {
            Attempts read = caller.send(disk, deadline, timeout -> HttpRequest.newBuilder(metadataUri).timeout(timeout)
                    .header("x-ms-version", "2018-03-28").GET().build());
            if (!read.succeeded()) {
                return DiskResult.failed(index, sasUri, "reading its DiskEncryptionSettings: " + read.describe(), read.errorMessage(sasUri),
                        read.statusCode());
            }
            read.response().headers().firstValue(ENCRYPTION_HEADER).ifPresent(v -> headers.put(ENCRYPTION_HEADER, v));
        }
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

    /** One disk's report entry and, if it failed, the sentence for the outcome's detail. */
    private record DiskResult(SnapshotInfo info, String failure) {
        static DiskResult failed(int index, String sasUri, String why, String errorMessage, int statusCode) {
            return new DiskResult(SnapshotInfo.failed(BlobUris.withoutQuery(sasUri), errorMessage, statusCode),
                    BlobUris.describeDisk(index, sasUri) + ": " + why);
        }
    }
}

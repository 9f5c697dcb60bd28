package io.vmsnapshot.snapshot;

import io.vmsnapshot.error.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot step the backup runs around the freeze. {@link #prepare}, before the freeze: asks the
 * host (PreSnapshot) in every mode that may use it, which also gives the host's clock and opens the
 * WireServer connection; decides who takes the snapshots; for the guest, reads the ADE encryption
 * settings or otherwise opens a connection per blob. {@link PreparedSnapshot#take}, inside the
 * window: the snapshot calls, falling back from one creator to the other as upstream does, mapped
 * to the code the service acts on. Never throws for a storage or host fault: those are outcomes.
 */
public final class Snapshotter implements SnapshotTaker {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);
    /** Limit of the blob reads before the freeze (PreSnapshot has its own timeout). */
    static final Duration GUEST_PREPARE_BUDGET = Duration.ofSeconds(30);

    private final GuestSnapshotter guest;
    private final HostSnapshotter host;
    private final Clock clock;

    public Snapshotter(GuestSnapshotter guest, HostSnapshotter host, Clock clock) {
        this.guest = Objects.requireNonNull(guest, "guest");
        this.host = Objects.requireNonNull(host, "host");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Who takes the snapshots, once PreSnapshot has answered. */
    enum Route {
        GUEST, HOST, GUEST_THEN_HOST
    }

    @Override
    public PreparedSnapshot prepare(SnapshotRequest request) {
        Instant start = clock.instant();
        Optional<PreSnapshotResult> pre = Optional.empty();
        if (request.mode() != SnapshotMode.ONLY_GUEST) {
            // Upstream asks before every host snapshot (for the host's time) and before choosing in
            // firstHostThenGuest; asked here, its up to 40 s stay out of the window.
            pre = Optional.of(host.preSnapshot(request.taskId(), request.snapshotTaskToken(), request.isVMADEEnabled()));
        }
        Route route = switch (request.mode()) {
            case ONLY_GUEST -> Route.GUEST;
            case ONLY_HOST -> Route.HOST;
            case FIRST_GUEST_THEN_HOST -> Route.GUEST_THEN_HOST;
            case FIRST_HOST_THEN_GUEST -> pre.orElseThrow().accepted() ? Route.HOST : Route.GUEST;
        };
        List<PreparedDisk> disks = route == Route.HOST ? List.of()
                : guest.prepare(request.blobSasUris(), request.isVMADEEnabled(), clock.instant().plus(GUEST_PREPARE_BUDGET));
        LOG.info("snapshot.prepared mode={} route={} preSnapshot={} hostTime={} disks={} durationMs={}",
                request.mode().wireName(), route, pre.map(p -> String.valueOf(p.statusCode())).orElse("none"),
                pre.flatMap(PreSnapshotResult::responseTime).map(Instant::toString).orElse("none"), disks.size(),
                Duration.between(start, clock.instant()).toMillis());
        return new Plan(request, route, pre, disks);
    }

    /** What {@link #prepare} found, and the calls left for the window. */
    private final class Plan implements PreparedSnapshot {
        private final SnapshotRequest request;
        private final Route route;
        private final Optional<PreSnapshotResult> pre;
        private final List<PreparedDisk> disks;

        Plan(SnapshotRequest request, Route route, Optional<PreSnapshotResult> pre, List<PreparedDisk> disks) {
            this.request = request;
            this.route = route;
            this.pre = pre;
            this.disks = List.copyOf(disks);
        }

        @Override
        public Optional<Instant> hostTime() {
            return pre.flatMap(PreSnapshotResult::responseTime);
        }

        @Override
        public SnapshotOutcome take(Instant deadline) {
            LOG.info("snapshot.start mode={} route={} disks={} luns={}", request.mode().wireName(), route,
                    request.blobSasUris().size(), request.includeLunList());
            SnapshotTelemetry telemetry = pre.map(p -> SnapshotTelemetry.NONE.withPreSnapshot(p.statusCode()))
                    .orElse(SnapshotTelemetry.NONE);
            SnapshotOutcome outcome = switch (route) {
                case GUEST -> withTelemetry(fromGuest(deadline), telemetry);
                case HOST -> fromHost(deadline, telemetry);
                case GUEST_THEN_HOST -> {
                    SnapshotOutcome byGuest = fromGuest(deadline);
                    if (byGuest.successfulCount() > 0) {
                        yield withTelemetry(byGuest, telemetry);
                    }
                    yield fromHost(deadline, telemetry.then(byGuest.telemetry()));
                }
            };
            LOG.info("snapshot.end creator={} disks={} succeeded={} error={} health={}", outcome.creator().telemetryName(),
                    outcome.snapshots().size(), outcome.successfulCount(),
                    outcome.error().map(e -> String.valueOf(e.code())).orElse("none"),
                    outcome.healthCode().map(e -> String.valueOf(e.code())).orElse("none"));
            return outcome;
        }

        private SnapshotOutcome fromGuest(Instant deadline) {
            return guest.snapshot(disks, request.backupMetadata(), deadline);
        }

        private SnapshotOutcome fromHost(Instant deadline, SnapshotTelemetry earlier) {
            Instant start = clock.instant();
            DoSnapshotResult result = host.doSnapshot(request, pre, deadline);
            SnapshotTelemetry telemetry = earlier.withCreator(SnapshotCreator.HOST).withDoSnapshot(result.statusCode())
                    .withTimeTaken(Duration.between(start, clock.instant()));
            SnapshotErrors.Verdict verdict = SnapshotErrors.judge(result.snapshots(),
                    pre.map(p -> String.valueOf(p.statusCode())), Optional.of(String.valueOf(result.statusCode())));
            return new SnapshotOutcome(result.snapshots(), SnapshotCreator.HOST, verdict.error(), verdict.health(),
                    hostDetail(result, verdict.error()), telemetry);
        }

        @Override
        public String toString() {
            return "PreparedSnapshot[route=" + route + ", preSnapshot=" + pre.map(PreSnapshotResult::statusCode).map(String::valueOf)
                    .orElse("none") + ", disks=" + disks + "]";
        }
    }

    private static String hostDetail(DoSnapshotResult result, Optional<ErrorCode> error) {
        if (error.isEmpty()) {
            return "";
        }
        if (!result.problem().isEmpty()) {
            return "The host snapshot failed: " + result.problem() + "; check that the VM can reach the WireServer"
                    + " (168.63.129.16, port 80).";
        }
        if (result.snapshots().isEmpty()) {
            String meaning = HostSnapshotter.pseudoCodes().getOrDefault(result.statusCode(), "HTTP " + result.statusCode());
            return "The host snapshot failed: DoSnapshot answered " + result.statusCode() + " (" + meaning + ") and reported no disk.";
        }
        List<SnapshotInfo> snapshots = result.snapshots();
        String failed = IntStream.range(0, snapshots.size()).filter(i -> !snapshots.get(i).isSuccessful())
                .mapToObj(i -> "disk " + (i + 1) + (snapshots.get(i).blobUri() == null ? "" : " (" + snapshots.get(i).blobUri() + ")")
                        + ": " + snapshots.get(i).errorMessage())
                .collect(Collectors.joining("; "));
        return "The host snapshot failed for " + snapshots.stream().filter(s -> !s.isSuccessful()).count() + " of "
                + snapshots.size() + " disks: " + failed + ".";
    }

    private static SnapshotOutcome withTelemetry(SnapshotOutcome outcome, SnapshotTelemetry first) {
        return new SnapshotOutcome(outcome.snapshots(), outcome.creator(), outcome.error(), outcome.healthCode(),
                outcome.detail(), first.then(outcome.telemetry()));
    }
}

package io.vmsnapshot.snapshot;

import io.vmsnapshot.error.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot step the backup runs between freeze and thaw: takes the snapshots the way the
 * request's {@link SnapshotMode} says, falling back from one creator to the other as upstream
 * does, and maps the result to the code the service acts on. Never throws for a storage or host
 * fault: those are outcomes.
 */
public final class Snapshotter implements SnapshotTaker {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);

    private final GuestSnapshotter guest;
    private final HostSnapshotter host;
    private final Clock clock;

    public Snapshotter(GuestSnapshotter guest, HostSnapshotter host, Clock clock) {
        this.guest = Objects.requireNonNull(guest, "guest");
        this.host = Objects.requireNonNull(host, "host");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public SnapshotOutcome snapshot(SnapshotRequest request, Instant deadline) {
        LOG.info("snapshot.start mode={} disks={} luns={}", request.mode().wireName(), request.blobSasUris().size(),
                request.includeLunList());
        SnapshotOutcome outcome = switch (request.mode()) {
            case ONLY_GUEST -> fromGuest(request, deadline);
            case ONLY_HOST -> fromHost(request, deadline, Optional.empty(), Map.of());
            case FIRST_GUEST_THEN_HOST -> {
                SnapshotOutcome byGuest = fromGuest(request, deadline);
                yield byGuest.successfulCount() > 0 ? byGuest : fromHost(request, deadline, Optional.empty(), byGuest.telemetry());
            }
            case FIRST_HOST_THEN_GUEST -> firstHostThenGuest(request, deadline);
        };
        LOG.info("snapshot.end creator={} disks={} succeeded={} error={} health={}", outcome.creator().telemetryName(),
                outcome.snapshots().size(), outcome.successfulCount(),
                outcome.error().map(e -> String.valueOf(e.code())).orElse("none"),
                outcome.healthCode().map(e -> String.valueOf(e.code())).orElse("none"));
        return outcome;
    }

    private SnapshotOutcome firstHostThenGuest(SnapshotRequest request, Instant deadline) {
        PreSnapshotResult pre = host.preSnapshot(request.taskId(), request.snapshotTaskToken(), request.isVMADEEnabled(), deadline);
        Map<String, String> telemetry = Map.of("hostStatusCodePreSnapshot", String.valueOf(pre.statusCode()));
        if (pre.accepted()) {
            return fromHost(request, deadline, Optional.of(pre), telemetry);
        }
        SnapshotOutcome byGuest = fromGuest(request, deadline);
        return withTelemetry(byGuest, telemetry);
    }

    private SnapshotOutcome fromGuest(SnapshotRequest request, Instant deadline) {
        return guest.snapshot(request.blobSasUris(), request.backupMetadata(), request.isVMADEEnabled(), deadline);
    }

    private SnapshotOutcome fromHost(SnapshotRequest request, Instant deadline, Optional<PreSnapshotResult> knownPre,
                                     Map<String, String> earlier) {
        Map<String, String> telemetry = new LinkedHashMap<>(earlier);
        telemetry.put("snapshotCreator", SnapshotCreator.HOST.telemetryName());
        Optional<PreSnapshotResult> pre = knownPre;
        if (pre.isEmpty() && request.isVMADEEnabled()) {
            // The encryption settings the snapshots must carry come only from PreSnapshot.
            pre = Optional.of(host.preSnapshot(request.taskId(), request.snapshotTaskToken(), true, deadline));
        }
        pre.ifPresent(p -> telemetry.put("hostStatusCodePreSnapshot", String.valueOf(p.statusCode())));
        Instant start = clock.instant();
        DoSnapshotResult result = host.doSnapshot(request, pre, deadline);
        telemetry.put("hostStatusCodeDoSnapshot", String.valueOf(result.statusCode()));
        telemetry.put("snapshotTimeTaken", Telemetry.duration(Duration.between(start, clock.instant())));
        SnapshotErrors.Verdict verdict = SnapshotErrors.judge(result.snapshots(),
                Optional.ofNullable(telemetry.get("hostStatusCodePreSnapshot")), Optional.of(String.valueOf(result.statusCode())));
        return new SnapshotOutcome(result.snapshots(), SnapshotCreator.HOST, verdict.error(), verdict.health(),
                hostDetail(result, verdict.error()), telemetry);
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

    private static SnapshotOutcome withTelemetry(SnapshotOutcome outcome, Map<String, String> first) {
        Map<String, String> telemetry = new LinkedHashMap<>(first);
        telemetry.putAll(outcome.telemetry());
        return new SnapshotOutcome(outcome.snapshots(), outcome.creator(), outcome.error(), outcome.healthCode(),
                outcome.detail(), telemetry);
    }
}

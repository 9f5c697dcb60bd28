package io.vmsnapshot.snapshot;

import io.vmsnapshot.error.ErrorCode;
import java.util.List;
import java.util.Optional;

/**
 * Turns per-disk results into the one code the service acts on (upstream
 * {@code FreezeSnapshotter.updateErrorCode}): the first throttled disk gives 173, the first disk
 * at its snapshot limit 85; otherwise all failed gives 76 (556 if the host said it was down
 * after accepting the PreSnapshot), some failed gives 76 with health 761.
 */
final class SnapshotErrors {
    static final String RATE_EXCEEDED_TEXT = "The rate of snapshot blob calls is exceeded";
    static final String COUNT_EXCEEDED_TEXT = "The snapshot count against this blob has been exceeded";

    private SnapshotErrors() {
    }

    record Verdict(Optional<ErrorCode> error, Optional<ErrorCode> health) {
        static final Verdict SUCCESS = new Verdict(Optional.empty(), Optional.empty());

        static Verdict of(ErrorCode error) {
            return new Verdict(Optional.of(error), Optional.of(error));
        }
    }

    static boolean isRateExceeded(int statusCode, String message) {
        return statusCode == 429 || contains(message, RATE_EXCEEDED_TEXT) || contains(message, "SnapshotOperationRateExceeded");
    }

    static boolean isCountExceeded(String message) {
        return contains(message, COUNT_EXCEEDED_TEXT) || contains(message, "SnapshotCountExceeded");
    }

    /**
     * @param hostPreSnapshotStatus  telemetry {@code hostStatusCodePreSnapshot}, if the call ran
     * @param hostDoSnapshotStatus   telemetry {@code hostStatusCodeDoSnapshot}, if the call ran
     */
    static Verdict judge(List<SnapshotInfo> snapshots, Optional<String> hostPreSnapshotStatus, Optional<String> hostDoSnapshotStatus) {
        for (SnapshotInfo info : snapshots) {
            if (info.isSuccessful()) {
                continue;
            }
            if (isRateExceeded(info.statusCode(), info.errorMessage())) {
                return Verdict.of(ErrorCode.SNAPSHOT_RATE_EXCEEDED);
            }
            if (isCountExceeded(info.errorMessage())) {
                return Verdict.of(ErrorCode.SNAPSHOT_LIMIT_REACHED);
            }
        }
        long succeeded = snapshots.stream().filter(SnapshotInfo::isSuccessful).count();
        if (succeeded == 0) {
            boolean hostDown = hostPreSnapshotStatus.filter("200"::equals).isPresent()
                    && hostDoSnapshotStatus.filter("556"::equals).isPresent();
            return Verdict.of(hostDown ? ErrorCode.HOST_SNAPSHOT_REMOTE_SERVER_ERROR : ErrorCode.SNAPSHOT_FAILED_NO_NETWORK);
        }
        if (succeeded < snapshots.size()) {
            return new Verdict(Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK),
                    Optional.of(ErrorCode.SNAPSHOT_FAILED_RESTRICTED_NETWORK));
        }
        return Verdict.SUCCESS;
    }

    private static boolean contains(String text, String part) {
        return text != null && text.contains(part);
    }
}

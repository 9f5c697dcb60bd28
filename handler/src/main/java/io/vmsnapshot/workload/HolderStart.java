package io.vmsnapshot.workload;

import io.vmsnapshot.error.ErrorCode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the MySQL and PostgreSQL quiescers share around their holder session: the client check
 * before it and its start. One place, so a client that cannot start or an interrupted wait reads
 * the same for both databases.
 */
final class HolderStart {
    /** Starts the holder session; {@link ClientRunner#hold} in practice. */
    interface Start {
        Holder start() throws IOException, InterruptedException;
    }

    private HolderStart() {
    }

    /** The failed step when the client may not be run, e.g. it is not there or not root's. */
    static Optional<Step> refusal(ClientRunner runner, Path client, Database database) {
        return runner.refusal(client).map(refused -> Step.failed("check " + client, Duration.ZERO, List.of(),
                ErrorCode.WORKLOAD_CONF_INVALID, database.configName() + ": " + refused));
    }

    /**
     * The started holder, or empty with the failed step {@code name} added to {@code steps}: a
     * client that cannot start is a connection failure, an interrupt a failed quiesce.
     */
    static Optional<Holder> start(String name, long startNanos, Path client, Start start, List<Step> steps) {
        try {
            return Optional.of(start.start());
        } catch (IOException e) {
            steps.add(Step.failed(name, elapsed(startNanos), List.of(), ErrorCode.WORKLOAD_CONNECTION_FAILED,
                    "cannot start " + client + ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            steps.add(Step.failed(name, elapsed(startNanos), List.of(), ErrorCode.WORKLOAD_QUIESCE_FAILED,
                    "interrupted"));
        }
        return Optional.empty();
    }

    static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}

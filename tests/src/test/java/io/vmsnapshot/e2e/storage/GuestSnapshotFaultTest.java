package io.vmsnapshot.e2e.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vmsnapshot.error.ErrorCode;
import io.vmsnapshot.snapshot.GuestSnapshotter;
import io.vmsnapshot.snapshot.RetryPolicy;
import io.vmsnapshot.snapshot.SnapshotOutcome;
import io.vmsnapshot.snapshot.Sleeper;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Storage faults Azurite cannot produce, injected by the proxy in front of it, with real waits. */
class GuestSnapshotFaultTest {
    /**
     * Short backoffs, but a call timeout that an answered call never reaches, even through the proxy
     * on a loaded machine: a call that timed out after Azurite took the snapshot would be retried,
     * and the exact call and snapshot counts below would be off.
     */
    private static final RetryPolicy QUICK =
            new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofMillis(1500), 8);

    private final Azurite azurite = Azurite.shared();
    private final GuestSnapshotter snapshotter = new GuestSnapshotter(HttpClient.newHttpClient(), Clock.systemUTC(), Sleeper.SYSTEM,
            QUICK, () -> ThreadLocalRandom.current().nextDouble());
    private FaultProxy proxy;
    private String container;

    @BeforeEach
    void setUp() throws Exception {
        container = "vhds-" + UUID.randomUUID().toString().substring(0, 8);
        azurite.createContainer(container);
        proxy = FaultProxy.start(URI.create(azurite.blobEndpoint().toString()));
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
    }

    private String disk(String name) {
        azurite.createPageBlob(container, name, 8192);
        return proxy.via(azurite.blobSasUri(container, name, "rw", Instant.now().plus(Duration.ofHours(1))));
    }

    private static Instant budget(int millis) {
        return Instant.now().plusMillis(millis);
    }

    private long snapshotCalls() {
        return proxy.requests().stream().filter(FaultProxy.Request::isSnapshot).count();
    }

    @Test
    void snapshot_whenStorageIsBusyOnce_retriesAndSucceeds() {
        String os = disk("os.vhd");
        proxy.next(FaultProxy.Request::isSnapshot, FaultProxy.serverBusy());

        SnapshotOutcome outcome = snapshotter.snapshot(List.of(os), List.of(), false, budget(5000));

        assertTrue(outcome.isSuccess(), outcome.detail());
        assertEquals(2, snapshotCalls());
        assertEquals(1, azurite.listSnapshots(container, "os.vhd").size());
    }

    @Test
    void snapshot_whenTheConnectionIsReset_retriesAndSucceeds() {
        String os = disk("os.vhd");
        proxy.next(FaultProxy.Request::isSnapshot, FaultProxy.reset(), FaultProxy.reset());

        SnapshotOutcome outcome = snapshotter.snapshot(List.of(os), List.of(), false, budget(5000));

        assertTrue(outcome.isSuccess(), outcome.detail());
        assertEquals(3, snapshotCalls());
    }

    @Test
    void snapshot_whenACallHangsPastItsTimeout_retriesWithinTheBudget() {
        String os = disk("os.vhd");
        proxy.next(FaultProxy.Request::isSnapshot, FaultProxy.delay(Duration.ofSeconds(4)));

        SnapshotOutcome outcome = snapshotter.snapshot(List.of(os), List.of(), false, budget(8000));

        assertTrue(outcome.isSuccess(), outcome.detail());
        assertEquals(2, snapshotCalls());
    }

    @Test
    void snapshot_whenTheBlobIsAtItsSnapshotLimit_reports85WithoutRetrying() {
        String os = disk("os.vhd");
        proxy.always(FaultProxy.Request::isSnapshot, FaultProxy.snapshotCountExceeded());

        SnapshotOutcome outcome = snapshotter.snapshot(List.of(os), List.of(), false, budget(5000));

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_LIMIT_REACHED), outcome.error());
        assertEquals(1, snapshotCalls());
        assertTrue(outcome.snapshots().get(0).errorMessage().contains("The snapshot count against this blob has been exceeded"));
    }

    @Test
    void snapshot_whenSnapshotCallsStayRateLimited_reports173WhenTheBudgetRunsOut() {
        String os = disk("os.vhd");
        proxy.always(FaultProxy.Request::isSnapshot, FaultProxy.snapshotRateExceeded());
        Instant start = Instant.now();

        SnapshotOutcome outcome = snapshotter.snapshot(List.of(os), List.of(), false, budget(2000));

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_RATE_EXCEEDED), outcome.error());
        assertTrue(snapshotCalls() >= 3, "retried: " + snapshotCalls());
        // Generous slack for a loaded CI machine; a budget ignored would retry for as long as storage throttles.
        assertTrue(Duration.between(start, Instant.now()).toMillis() < 2000 + 5000, "stopped at the budget");
    }

    @Test
    void snapshot_whenThrottledWith429Throughout_reports173() {
        String os = disk("os.vhd");
        proxy.always(FaultProxy.Request::isSnapshot, FaultProxy.tooManyRequests());

        SnapshotOutcome outcome = snapshotter.snapshot(List.of(os), List.of(), false, budget(2000));

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_RATE_EXCEEDED), outcome.error());
    }

    @Test
    void snapshot_whenOneOfTwoDisksNeverAnswers_reports76WithHealth761() {
        String os = disk("os.vhd");
        String data = disk("data0.vhd");
        proxy.always(r -> r.isSnapshot() && r.pathAndQuery().contains("/data0.vhd"), FaultProxy.reset());

        // The budget is the test's length (data0 is retried until it ends); os.vhd must succeed within it.
        SnapshotOutcome outcome = snapshotter.snapshot(List.of(os, data), List.of(), false, budget(3000));

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK), outcome.error());
        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_RESTRICTED_NETWORK), outcome.healthCode());
        assertTrue(outcome.detail().contains("disk 2 (" + proxy.via(azurite.blobUrl(container, "data0.vhd")) + "): no answer from storage"),
                outcome.detail());
        assertEquals(1, azurite.listSnapshots(container, "os.vhd").size());
    }

    @Test
    void snapshot_whenStorageIsDownForEveryDisk_reports76() {
        String os = disk("os.vhd");
        String data = disk("data0.vhd");
        proxy.always(FaultProxy.Request::isSnapshot, FaultProxy.serverBusy());

        SnapshotOutcome outcome = snapshotter.snapshot(List.of(os, data), List.of(), false, budget(800));

        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK), outcome.error());
        assertEquals(Optional.of(ErrorCode.SNAPSHOT_FAILED_NO_NETWORK), outcome.healthCode());
    }
}

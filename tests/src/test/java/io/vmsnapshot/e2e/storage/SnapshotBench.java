package io.vmsnapshot.e2e.storage;

import io.vmsnapshot.snapshot.GuestSnapshotter;
import io.vmsnapshot.snapshot.RetryPolicy;
import io.vmsnapshot.snapshot.SnapshotOutcome;
import io.vmsnapshot.snapshot.Sleeper;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long the snapshot phase (inside the freeze) takes for 1, 8 and 64 page blobs against the
 * local Azurite, with the default bound of parallel calls and, for comparison, one at a time.
 * Not a test: run by hand, e.g.
 * {@code java -cp <test classpath> io.vmsnapshot.e2e.storage.SnapshotBench [rounds]}.
 */
public final class SnapshotBench {
    private SnapshotBench() {
    }

    public static void main(String[] args) throws java.io.IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Azurite azurite = Azurite.shared();
        System.out.println("Azurite on loopback (each call costs ~1-2 ms of Azurite's CPU):");
        run(azurite, rounds, url -> url);
        // Real storage is a network round trip away; the proxy adds one per snapshot call.
        try (FaultProxy proxy = FaultProxy.start(azurite.blobEndpoint())) {
            proxy.always(FaultProxy.Request::isSnapshot, FaultProxy.delay(Duration.ofMillis(LATENCY_MS)));
            System.out.println("With " + LATENCY_MS + " ms added to every snapshot call (FaultProxy):");
            run(azurite, rounds, proxy::via);
        }
    }

    private static final int LATENCY_MS = 30;

    private static void run(Azurite azurite, int rounds, java.util.function.UnaryOperator<String> route) {
        HttpClient http = HttpClient.newHttpClient();
        System.out.printf("%-6s %-9s %10s %10s %10s%n", "disks", "parallel", "median ms", "min ms", "max ms");
        for (int parallel : new int[] {RetryPolicy.DEFAULT.maxParallel(), 1}) {
            RetryPolicy policy = new RetryPolicy(RetryPolicy.DEFAULT.initialBackoff(), RetryPolicy.DEFAULT.maxBackoff(),
                    RetryPolicy.DEFAULT.attemptTimeout(), parallel);
            GuestSnapshotter snapshotter = new GuestSnapshotter(http, Clock.systemUTC(), Sleeper.SYSTEM, policy,
                    () -> ThreadLocalRandom.current().nextDouble());
            for (int disks : new int[] {1, 8, 64}) {
                List<String> blobs = disks(azurite, disks).stream().map(route).toList();
                snapshotter.snapshot(blobs, List.of(), false, Instant.now().plusSeconds(60)); // warm-up
                long[] millis = new long[rounds];
                for (int r = 0; r < rounds; r++) {
                    long start = System.nanoTime();
                    SnapshotOutcome outcome = snapshotter.snapshot(blobs, List.of(), false, Instant.now().plusSeconds(60));
                    millis[r] = Duration.ofNanos(System.nanoTime() - start).toMillis();
                    if (!outcome.isSuccess()) {
                        throw new IllegalStateException("snapshot failed: " + outcome.detail());
                    }
                }
                Arrays.sort(millis);
                System.out.printf("%-6d %-9d %10d %10d %10d%n", disks, parallel, millis[rounds / 2], millis[0], millis[rounds - 1]);
            }
        }
    }

    private static List<String> disks(Azurite azurite, int count) {
        String container = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        azurite.createContainer(container);
        byte[] page = new byte[64 * 1024];
        Arrays.fill(page, (byte) 0x5a);
        List<String> blobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "disk" + i + ".vhd";
            azurite.createPageBlob(container, name, 4L * 1024 * 1024);
            azurite.writePages(container, name, 0, page);
            blobs.add(azurite.blobSasUri(container, name, "rw", Instant.now().plus(Duration.ofHours(1))));
        }
        return blobs;
    }
}

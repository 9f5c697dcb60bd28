package io.vmsnapshot.e2e.freeze;

import io.vmsnapshot.e2e.fixtures.Command;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import io.vmsnapshot.freeze.FreezeSession;
import io.vmsnapshot.freeze.HelperFreezer;
import io.vmsnapshot.freeze.Mount;
import io.vmsnapshot.freeze.ThawResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Freeze + thaw of one loop-mounted ext4: our helper (through HelperFreezer, as the handler does
 * it, process start and freeze record included) against util-linux {@code fsfreeze -f} then
 * {@code fsfreeze -u} started from the same JVM. Prints medians and 90th percentiles in ms.
 *
 * <pre>
 * mvn -q -pl handler,tests -am test-compile
 * java -cp "$(cat tests/target/bench.cp):tests/target/test-classes:handler/target/classes" \
 *   -Dvmsnapshot.freezeHelper=handler/target/native/x86_64/vmsnapshot-freeze io.vmsnapshot.e2e.freeze.FreezeBench 50
 * </pre>
 * (bench.cp from {@code mvn -q -pl tests dependency:build-classpath -Dmdep.outputFile=target/bench.cp}).
 */
public final class FreezeBench {
    private static final int WARM_UP = 5;

    private FreezeBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        Path runDir = Files.createTempDirectory("vmsnapshot-bench-run");
        try (LoopMount loop = LoopMount.create(LoopMount.FsType.EXT4)) {
            Mount mount = FreezeFixtures.mountOf(loop);
            HelperFreezer freezer = FreezeFixtures.freezer(runDir);
            String point = loop.mountPoint().toString();

            List<Long> helperTotal = new ArrayList<>();
            List<Long> helperFreeze = new ArrayList<>();
            List<Long> helperThaw = new ArrayList<>();
            List<Long> fsfreezeTotal = new ArrayList<>();
            List<Long> fsfreezeFreeze = new ArrayList<>();
            List<Long> fsfreezeThaw = new ArrayList<>();
            for (int i = 0; i < WARM_UP + rounds; i++) {
                long t0 = System.nanoTime();
                FreezeSession session = freezer.freeze(List.of(mount), Duration.ofSeconds(60));
                long t1 = System.nanoTime();
                ThawResult result = session.thaw();
                long t2 = System.nanoTime();
                if (!result.consistent()) {
                    throw new IllegalStateException("helper round " + i + ": " + result.summary());
                }

                long f0 = System.nanoTime();
                Command.check(30, "fsfreeze", "-f", point);
                long f1 = System.nanoTime();
                Command.check(30, "fsfreeze", "-u", point);
                long f2 = System.nanoTime();

                if (i >= WARM_UP) {
                    helperFreeze.add(t1 - t0);
                    helperThaw.add(t2 - t1);
                    helperTotal.add(t2 - t0);
                    fsfreezeFreeze.add(f1 - f0);
                    fsfreezeThaw.add(f2 - f1);
                    fsfreezeTotal.add(f2 - f0);
                }
            }
            System.out.printf("freeze+thaw of one loop ext4, %d rounds (after %d warm-up), ms: median / p90%n",
                    rounds, WARM_UP);
            System.out.printf("  helper   freeze %s  thaw %s  total %s%n",
                    stats(helperFreeze), stats(helperThaw), stats(helperTotal));
            System.out.printf("  fsfreeze -f %s  -u %s  total %s%n",
                    stats(fsfreezeFreeze), stats(fsfreezeThaw), stats(fsfreezeTotal));
        } finally {
            Files.deleteIfExists(runDir.resolve("freeze-record.json"));
            Files.deleteIfExists(runDir);
        }
    }

    private static String stats(List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        double median = sorted.get(sorted.size() / 2) / 1e6;
        double p90 = sorted.get((int) Math.min(sorted.size() - 1, Math.round(sorted.size() * 0.9))) / 1e6;
        return String.format("%.2f / %.2f", median, p90);
    }
}

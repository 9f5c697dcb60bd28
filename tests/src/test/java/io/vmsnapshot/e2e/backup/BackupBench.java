package io.vmsnapshot.e2e.backup;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmsnapshot.e2e.agent.AgentSimulator;
import io.vmsnapshot.e2e.agent.AgentSimulator.Operation;
import io.vmsnapshot.e2e.agent.AgentStatus;
import io.vmsnapshot.e2e.agent.CommandResult;
import io.vmsnapshot.e2e.agent.SettingsBuilder;
import io.vmsnapshot.e2e.fixtures.Command;
import io.vmsnapshot.e2e.fixtures.LoopMount;
import io.vmsnapshot.freeze.FreezeEligibility;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * One backup through the built package, measured from the outside: enable until the final status,
 * what the freeze window costs beyond the snapshot calls next to the bare fsfreeze floor of the
 * same mounts, the snapshot phase for 1, 8 and 64 disks, and the worker's peak RSS. Local Azurite,
 * trivial pre/post scripts, real ext4 and xfs loop mounts. Not a test: run by
 * {@code scripts/bench-backup.sh [rounds]}.
 */
public final class BackupBench {
    /** The disk counts of the snapshot-phase figures; "none" skips them (scripts/bench-backup.sh's BENCH_DISKS). */
    private static final List<Integer> DISK_COUNTS = System.getProperty("vmsnapshot.bench.disks", "1,8,64")
            .equals("none") ? List.of() : Arrays.stream(System.getProperty("vmsnapshot.bench.disks", "1,8,64")
            .split(",")).map(String::strip).map(Integer::valueOf).toList();

    private final AgentSimulator agent;
    private final LoopMount ext4;
    private final LoopMount xfs;
    private final AzuriteDisks documents = AzuriteDisks.create(0);
    private int seq;

    private BackupBench(AgentSimulator agent, LoopMount ext4, LoopMount xfs) {
        this.agent = agent;
        this.ext4 = ext4;
        this.xfs = xfs;
    }

    /** One backup as measured: wall time, the handler's own phase timings, the worker's peak RSS. */
    /**
     * @param fifreezeMillis from "freeze" asked to "frozen" answered (the ioctls alone), from the log
     * @param fithawMillis   from "thaw" asked to the helper's account of it, from the log
     */
    private record Run(long enableToFinalMillis, long prepareMillis, long windowMillis, long snapshotMillis,
                       long freezeMillis, long thawMillis, long fifreezeMillis, long fithawMillis, long peakRssKiB,
                       long workerCpuMillis, StartBreakdown breakdown) {
        /** How long the mounts were frozen beyond the snapshot calls. */
        long frozenBeyondSnapshot() {
            return fifreezeMillis + windowMillis - snapshotMillis + fithawMillis;
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        try (LoopMount ext4 = LoopMount.create(LoopMount.FsType.EXT4);
             LoopMount xfs = LoopMount.create(LoopMount.FsType.XFS);
             BackupSandbox sandbox = BackupSandbox.create("bench")) {
            sandbox.prePostScripts();
            AgentSimulator agent = new AgentSimulator(sandbox.workDir().resolve("agent"), sandbox.options(Map.of(
                    FreezeEligibility.FREEZE_MOUNTS_ENV, ext4.mountPoint() + ":" + xfs.mountPoint())));
            agent.download(AgentSimulator.builtZip(), AgentSimulator.builtVersion());
            CommandResult install = agent.run(Operation.INSTALL);
            if (install.exitCode() != 0) {
                throw new IllegalStateException("install failed: " + install);
            }
            new BackupBench(agent, ext4, xfs).report(rounds);
            Files.copy(agent.handlerLogDir().resolve("extension.log"), Path.of(System.getProperty("vmsnapshot.work"))
                    .resolve("extension.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void report(int rounds) throws Exception {
        AzuriteDisks twoDataDisks = AzuriteDisks.create(2);
        run(twoDataDisks.sasUris()); // warm-up: page cache, Azurite's first requests
        List<Run> runs = new ArrayList<>();
        long[] floor = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            runs.add(run(twoDataDisks.sasUris()));
            // Interleaved, after the same idle time as a backup's freeze gets: a file system frozen
            // again at once is cheaper to freeze (xfs has nothing to cover in its log).
            Thread.sleep(runs.get(i).enableToFinalMillis() / 2);
            floor[i] = fsfreezeFloorMicros();
        }
        System.out.printf("%nBackup through the package: OS + 2 data disks in local Azurite, status and logs blobs,"
                + " pre/post scripts, ext4 + xfs frozen, %d rounds (median, min-max)%n", rounds);
        line("enable -> final status", runs.stream().mapToLong(Run::enableToFinalMillis).toArray(), "ms");
        line("prepare (PreSnapshot, blob warm-up; not frozen)", runs.stream().mapToLong(Run::prepareMillis).toArray(), "ms");
        line("freeze (helper start, open, FIFREEZE x2)", runs.stream().mapToLong(Run::freezeMillis).toArray(), "ms");
        line("freeze window (frozen -> thaw asked)", runs.stream().mapToLong(Run::windowMillis).toArray(), "ms");
        line("  of which snapshot calls", runs.stream().mapToLong(Run::snapshotMillis).toArray(), "ms");
        line("  window minus snapshot calls", runs.stream().mapToLong(r -> r.windowMillis() - r.snapshotMillis()).toArray(), "ms");
        line("thaw (FITHAW x2, helper exit)", runs.stream().mapToLong(Run::thawMillis).toArray(), "ms");
        line("  FIFREEZE x2 (freeze asked -> frozen)", runs.stream().mapToLong(Run::fifreezeMillis).toArray(), "ms");
        line("  FITHAW x2 (thaw asked -> thawed)", runs.stream().mapToLong(Run::fithawMillis).toArray(), "ms");
        line("frozen beyond the snapshot calls", runs.stream().mapToLong(Run::frozenBeyondSnapshot).toArray(), "ms");
        System.out.printf("%-62s %8.2f ms  (%.2f-%.2f)%n", "fsfreeze floor: -f x2 then -u x2 (4 processes)",
                median(floor) / 1000.0, Arrays.stream(floor).min().orElse(0) / 1000.0,
                Arrays.stream(floor).max().orElse(0) / 1000.0);
        line("worker peak RSS (VmHWM)", runs.stream().mapToLong(Run::peakRssKiB).map(k -> k / 1024).toArray(), "MiB");
        line("worker CPU time (user + system)", runs.stream().mapToLong(Run::workerCpuMillis).toArray(), "ms");

        System.out.printf("%nWhere enable -> final status goes (the same rounds; extension log, telemetry, this clock)%n");
        for (String step : runs.get(0).breakdown().steps().keySet()) {
            line(step, runs.stream().mapToLong(r -> r.breakdown().steps().get(step)).toArray(), "ms");
        }

        System.out.printf("%nSnapshot phase (snapshotMillis in telemetry) by disk count, %d rounds each%n", Math.max(3, rounds / 2));
        for (int disks : DISK_COUNTS) {
            AzuriteDisks many = AzuriteDisks.create(disks - 1);
            run(many.sasUris());
            List<Run> sized = new ArrayList<>();
            for (int i = 0; i < Math.max(3, rounds / 2); i++) {
                sized.add(run(many.sasUris()));
            }
            line(disks + " disk" + (disks == 1 ? "" : "s") + ": snapshot phase",
                    sized.stream().mapToLong(Run::snapshotMillis).toArray(), "ms");
            line(disks + " disk" + (disks == 1 ? "" : "s") + ": enable -> final status",
                    sized.stream().mapToLong(Run::enableToFinalMillis).toArray(), "ms");
            line(disks + " disk" + (disks == 1 ? "" : "s") + ": worker peak RSS",
                    sized.stream().mapToLong(Run::peakRssKiB).map(k -> k / 1024).toArray(), "MiB");
        }
    }

    private Run run(List<String> sasUris) throws Exception {
        int mine = ++seq;
        List<Integer> luns = IntStream.range(0, sasUris.size() - 1).boxed().toList();
        Path extensionLog = agent.handlerLogDir().resolve("extension.log");
        int linesBefore = Files.exists(extensionLog) ? Files.readAllLines(extensionLog, StandardCharsets.UTF_8).size() : 0;
        long start = System.nanoTime();
        // As the service sends it: the status and logs blobs too (their uploads also warm the
        // worker's HTTP client before the freeze).
        CommandResult enable = agent.enable(mine, SettingsBuilder.snapshot().includedDisks(luns, true)
                .blobSasUris(sasUris).statusBlobUri(documents.statusBlobSasUri()).logsBlobUri(documents.logsBlobSasUri())
                .build());
        long enableExit = System.currentTimeMillis();
        long launchedAt = enableExit - enable.elapsed().toMillis();
        if (enable.exitCode() != 0) {
            throw new IllegalStateException("enable failed: " + enable);
        }
        // Few reads while the backup runs: the sampling shares the two CPUs with the worker.
        long peakKiB = 0;
        long cpuMillis = 0;
        List<Long> workers = List.of();
        AgentStatus status = null;
        for (int poll = 0; status == null; poll++) {
            if (workers.isEmpty()) {
                workers = BackupSandbox.workers(agent.baseDir());
            }
            for (long pid : workers) {
                peakKiB = Math.max(peakKiB, vmHwmKiB(pid));
                cpuMillis = Math.max(cpuMillis, cpuMillis(pid));
            }
            if (poll % 5 == 0) {
                status = agent.statusIfPresent(mine).filter(AgentStatus::isTerminal).orElse(null);
            }
            if (System.nanoTime() - start > BackupSandbox.BACKUP_DONE.toNanos()) {
                throw new IllegalStateException("no final status for seq " + mine);
            }
            Thread.sleep(3);
        }
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        long finalSeenAt = System.currentTimeMillis();
        if (status.code() != 0) {
            throw new IllegalStateException("backup failed: " + status.message());
        }
        JsonNode blob = BackupSandbox.carriedBlobDocument(status).get(0).get("status");
        Map<String, String> telemetry = BackupEndToEndTest.telemetry(blob);
        BackupSandbox.awaitNoWorker(agent.baseDir(), BackupSandbox.BACKUP_DONE);
        List<String> allLines = Files.readAllLines(extensionLog, StandardCharsets.UTF_8);
        List<String> log = allLines.subList(Math.min(linesBefore, allLines.size()), allLines.size());
        StartBreakdown breakdown = StartBreakdown.of(log, mine, launchedAt, enableExit, finalSeenAt, telemetry);
        return new Run(elapsed, Long.parseLong(telemetry.getOrDefault("prepareMillis", "0")),
                Long.parseLong(telemetry.get("freezeWindowMillis")),
                Long.parseLong(telemetry.get("snapshotMillis")), Long.parseLong(telemetry.get("freezeMillis")),
                Long.parseLong(telemetry.get("thawMillis")), lastValue(log, "HelperFreezer - frozen ", "durationMs"),
                lastValue(log, "HelperFreezer - thawed ", "thawMs"), peakKiB, cpuMillis, breakdown);
    }

    /** {@code key=<n>} of the last log line holding {@code marker}. */
    private static long lastValue(List<String> log, String marker, String key) {
        for (int i = log.size() - 1; i >= 0; i--) {
            String line = log.get(i);
            int at = line.indexOf(" " + key + "=");
            if (line.contains(marker) && at >= 0) {
                return Long.parseLong(line.substring(at + key.length() + 2).replaceAll("[^0-9].*", ""));
            }
        }
        throw new IllegalStateException("no '" + marker + "' line with " + key + " in the extension log");
    }

    /** The same mounts frozen and thawed by util-linux fsfreeze, in the handler's order. */
    private long fsfreezeFloorMicros() {
        long start = System.nanoTime();
        Command.check(30, "fsfreeze", "-f", xfs.mountPoint().toString());
        Command.check(30, "fsfreeze", "-f", ext4.mountPoint().toString());
        Command.check(30, "fsfreeze", "-u", ext4.mountPoint().toString());
        Command.check(30, "fsfreeze", "-u", xfs.mountPoint().toString());
        return (System.nanoTime() - start) / 1_000;
    }

    /** The worker's peak resident set so far; 0 once it is gone. */
    private static long vmHwmKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // Exited between the listing and the read.
        }
        return 0;
    }

    /**
     * The worker's CPU time so far (utime + stime from /proc/PID/stat, in clock ticks of 10 ms); 0 once
     * it is gone, so the last sample before its exit counts (it misses at most its last ticks).
     */
    private static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    private static void line(String what, long[] values, String unit) {
        System.out.printf("%-62s %8d %s  (%d-%d)%n", what, median(values), unit,
                Arrays.stream(values).min().orElse(0), Arrays.stream(values).max().orElse(0));
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }
}

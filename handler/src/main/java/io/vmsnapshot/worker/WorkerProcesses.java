package io.vmsnapshot.worker;

import io.vmsnapshot.agent.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The workers of this package that are alive, found by their command line. The lock names only
 * the worker that holds it; a worker still starting up (a JVM takes a moment before it can take
 * the lock) or waiting behind another must be stopped too, or it would run a backup after disable.
 */
final class WorkerProcesses {
    private WorkerProcesses() {
    }

    static List<Long> find(Path procRoot, Path packageRoot, long self) {
        List<Long> pids = new ArrayList<>();
        // The launcher's shell names itself by path; the JVM it execs names the package root in
        // -Dvmsnapshot.home (its jar path is relative, for the AOT cache; see handle.sh).
        String launcher = packageRoot.resolve("bin").resolve("handle.sh").toString();
        String home = "-Dvmsnapshot.home=" + packageRoot;
        try (Stream<Path> entries = Files.list(procRoot)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self) {
                    continue;
                }
                List<String> argv = argv(entry.resolve("cmdline"));
                boolean ours = argv.stream().anyMatch(a -> a.equals(launcher) || a.equals(home));
                int verb = argv.indexOf(Operation.WORKER.verb());
                if (ours && verb > 0) {
                    pids.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            return pids;
        }
        return pids;
    }

    private static List<String> argv(Path cmdline) {
        try {
            String text = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : List.of(text.split("\0"));
        } catch (IOException gone) {
            return List.of();
        }
    }
}

package io.vmsnapshot.e2e.hardening;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds the processes a test's scripts started: a unique word in the command line (each test's
 * scripts sleep for a length of their own) and a working directory inside the test's own sandbox
 * (scripts run in their own directory). Both must match, so that nothing another test or user
 * runs on the machine is ever counted or killed.
 */
final class Processes {
    private Processes() {
    }

    static List<Long> withArgument(Path sandbox, String word) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String name = process.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String state = Files.readString(process.resolve("stat"), StandardCharsets.ISO_8859_1);
                    if (state.substring(state.lastIndexOf(')') + 2).startsWith("Z")) {
                        continue;
                    }
                    List<String> argv = List.of(new String(Files.readAllBytes(process.resolve("cmdline")),
                            StandardCharsets.UTF_8).split("\0"));
                    if (argv.contains(word) && Files.readSymbolicLink(process.resolve("cwd")).startsWith(sandbox)) {
                        pids.add(Long.parseLong(name));
                    }
                } catch (IOException | StringIndexOutOfBoundsException gone) {
                    // Exited while we looked.
                }
            }
        }
        return pids;
    }

    /**
     * Waits up to 10 s for them to go (a kill is asynchronous, and slow on a loaded machine), then
     * reports who is left. Those not killed at all sleep for 97 s.
     */
    static List<Long> survivors(Path sandbox, String word) throws IOException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (withArgument(sandbox, word).isEmpty()) {
                return List.of();
            }
            Thread.sleep(50);
        }
        return withArgument(sandbox, word);
    }

    /**
     * Waits up to 10 s for at least one to show: a background child forked by a script that has
     * exited may not have exec'd its command yet on a loaded machine (until then its command line
     * is the script's). Then reports who is there.
     */
    static List<Long> appeared(Path sandbox, String word) throws IOException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            List<Long> found = withArgument(sandbox, word);
            if (!found.isEmpty()) {
                return found;
            }
            Thread.sleep(50);
        }
        return withArgument(sandbox, word);
    }

    static void kill(Path sandbox, String word) throws IOException {
        for (long pid : withArgument(sandbox, word)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
